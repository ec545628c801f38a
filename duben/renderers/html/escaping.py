"""Our templates' autoescaping and globals: Jinja's results, at a fraction of the cost.

Every `{{ }}` in a template calls `escape`: three million calls at 10,000 articles.
markupsafe.escape builds its Markup through Markup.__new__, a Python function, and
copies a value that is Markup already. Templates compiled by our environment
(`QuickTemplate`) call `quick_escape` instead: the same escaped text, as Markup,
without those steps. A test compares the two on every kind of value.
"""
from __future__ import annotations

from collections.abc import Callable, MutableMapping
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any, TypeVar

from jinja2 import Environment, Template
from jinja2.runtime import Context
from jinja2.utils import internalcode
from markupsafe import Markup, escape

try:  # markupsafe's C escaper (the same function escape uses); else the same rules
    from markupsafe import _escape_inner as _escaped  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another markupsafe layout
    def _escaped(s: str) -> str:
        return (s.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
                .replace("'", "&#39;").replace('"', "&#34;"))

_markup = str.__new__


def quick_escape(value: Any) -> Markup:
    """markupsafe.escape(value), quicker for the two values templates show most."""
    kind = type(value)
    if kind is str:
        return _markup(Markup, _escaped(value))
    if kind is Markup:
        return value
    return escape(value)


class QuickTemplate(Template):
    """A template whose `{{ }}` escape with quick_escape (the compiled code looks the
    name `escape` up in its own namespace, set here once per template), and whose
    globals are one dict: Jinja's ChainMap of the template's and the environment's
    globals was copied key by key in Python for every page and include (5% of a
    render). As Jinja asks, our environments set their globals before any template
    is loaded; a change after that does not reach templates already loaded."""

    @classmethod
    def _from_namespace(cls, environment: Environment, namespace: MutableMapping[str, Any],
                        globals: MutableMapping[str, Any]) -> Template:
        namespace["escape"] = quick_escape
        return super()._from_namespace(environment, namespace, dict(globals))


_PLAIN_CALLABLES = (FunctionType, BuiltinFunctionType, MethodType)
F = TypeVar("F", bound=Callable[..., Any])


def page_only(fn: F) -> F:
    """Mark a function that takes the context (pass_context) but reads only what the
    page was rendered with (site, page_url, the environment), never a name a template
    sets in a block or a loop: QuickContext hands it the page's context itself. Jinja
    hands a copy with those names added (Context.derived: every name and block copied,
    18 us an article page, for its list of related articles)."""
    fn.duben_page_only = True  # type: ignore[attr-defined]
    return fn


class QuickContext(Context):
    """A context whose `call` (every function a template calls: urls.article,
    ordinal, a str method...) goes straight to a plain function or method that takes
    no context: Jinja asks every callable for its `__call__`'s pass-argument first.
    A `page_only` function gets this context; anything else that takes one is called
    as Jinja calls it."""

    @internalcode
    def call(self, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        if type(obj) not in _PLAIN_CALLABLES or hasattr(obj, "jinja_pass_arg"):
            if not getattr(obj, "duben_page_only", False):
                return Context.call(self, obj, *args, **kwargs)
            args = (self, *args)  # (page_only: this page's own context, not a copy)
        kwargs.pop("_block_vars", None)  # (Jinja's own, for callables that take a context)
        kwargs.pop("_loop_vars", None)
        try:
            return obj(*args, **kwargs)
        except StopIteration:
            return self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception")
