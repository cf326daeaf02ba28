"""Render the documentation's formulas as MathML when the pages are built.

Sphinx's default HTML math renderer loads MathJax from a CDN when a page is viewed, so the
formulas stay raw LaTeX on an intranet or offline. Here latex2mathml converts each formula
to MathML at build time; browsers draw MathML natively (MathML Core), with no script and no
network. A formula latex2mathml cannot convert is a build warning (an error under ``-W``),
with the page and line it comes from.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from latex2mathml.converter import convert
from sphinx.util import logging

_LOGGER = logging.getLogger(__name__)


def _mathml(node: nodes.Element, latex: str, display: str) -> str:
    try:
        return convert(latex, display=display)
    except Exception as error:  # noqa: BLE001 - latex2mathml raises many kinds; report any
        _LOGGER.warning("formula not converted to MathML (%s): %s", error, latex, location=node)
        return f"<code>{latex}</code>"


def _visit_inline(translator: Any, node: nodes.Element) -> None:  # noqa: ANN401 - HTML5Translator
    translator.body.append(
        translator.starttag(node, "span", "", CLASS="math notranslate")
        + _mathml(node, node.astext(), "inline")
        + "</span>"
    )
    raise nodes.SkipNode


def _visit_block(translator: Any, node: nodes.Element) -> None:  # noqa: ANN401 - HTML5Translator
    # Paragraphs of a math directive are separate equations, as for Sphinx's own renderers.
    equations = [part.strip() for part in node.astext().split("\n\n") if part.strip()]
    translator.body.append(translator.starttag(node, "div", CLASS="math notranslate"))
    if node.get("number"):
        translator.body.append(f'<span class="eqno">({node["number"]})</span>')
    translator.body.extend(_mathml(node, equation, "block") for equation in equations)
    translator.body.append("</div>\n")
    raise nodes.SkipNode


def setup(app: Any) -> dict[str, Any]:  # noqa: ANN401 - the Sphinx application
    """Register the ``mathml`` HTML math renderer (select it with ``html_math_renderer``)."""
    app.add_html_math_renderer(
        "mathml", inline_renderers=(_visit_inline, None), block_renderers=(_visit_block, None)
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
