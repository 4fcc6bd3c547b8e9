"""The search page: everything a visitor may see, found by words in Swedish."""

from django.views.generic import TemplateView

from plans.forms import SearchForm
from plans.services import search


class SearchView(TemplateView):
    """``/search/?q=``: results grouped by kind, or one kind's pages
    (``kind``, ``page``). Every query answers 200; a bad one with a message."""

    template_name = "plans/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET or None)
        text = form.query_text
        query = search.read_query(text) if text else None
        results = None
        if query:
            kind = form.cleaned_data.get("kind") or None
            page = form.cleaned_data.get("page") or 1
            results = search.search(query, self.request.user, kind=kind, page=page)
        context.update(
            form=form,
            text=text,
            no_words=bool(text) and not query,
            results=results,
        )
        return context
