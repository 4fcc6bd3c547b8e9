"""Meetings of the governing bodies, their frozen board packs and what changed
between two packs ("since last meeting").

Anonymous visitors see public meetings and closed packs only, and of a pack
only its public rows and public updates; signed-in members see every row, the
internal ones marked. Each closed pack has two stored PDFs: the public edition
for everyone and the members' edition, which only members get (404 for
anyone else) and no shared cache keeps.
"""

import base64
import re

from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import content_disposition_header, quote_etag
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from flemingsberg.permissions import sees_internal
from plans.models import ActionItem, BoardPack, Meeting
from plans.services.boardpack_rows import (
    compare_packs,
    frozen_indicators,
    frozen_items,
    group_rows,
    late_rows,
    overdue_rows,
    past_due_count,
    status_summary,
    strategy_summary,
    with_numbers,
)
from plans.services.boardpacks import previous_pack
from plans.services.followup import HEALTH_RULE
from plans.services.reports import report_links_for_meeting
from stakeholders.models import GoverningBody

SLUG = re.compile(r"[-a-zA-Z0-9_]+")


#: Seconds the "being prepared" page waits before it reloads itself.
PREPARING_REFRESH_SECONDS = 3


def meeting_packs():
    """Packs without their documents, with the pack that supersedes each."""
    return (
        BoardPack.objects.without_documents()
        .select_related("superseded_by", "supersedes", "closed_by")
        .order_by("-closed_at", "-pk")
    )


def shown_pack(packs, user):
    """Of a meeting's ``packs``, the one its pages show: the closed pack no
    other closed pack supersedes, else (members only) the one being prepared."""
    for pack in packs:
        if pack.is_closed and pack.superseding_pack() is None:
            return pack
    if sees_internal(user):
        return next((pack for pack in packs if not pack.is_closed), None)
    return None


class VisibleMeetingsMixin:
    def get_queryset(self):
        return Meeting.objects.visible_to(self.request.user).select_related("body")


class MeetingListView(VisibleMeetingsMixin, ListView):
    """Every meeting the visitor may see, newest first, with its board pack."""

    template_name = "plans/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 50

    def get_queryset(self):
        meetings = (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("board_packs", queryset=meeting_packs(), to_attr="packs")
            )
            .annotate(decision_count=Count("decision_items"))
            .order_by("-date", "body__order", "title")
        )
        self.body = None
        slug = self.request.GET.get("body")
        if slug:
            # A value that cannot be a slug (a NUL byte, which PostgreSQL
            # refuses in a query) is an unknown body like any other.
            if SLUG.fullmatch(slug):
                self.body = GoverningBody.objects.filter(slug=slug).first()
            meetings = meetings.filter(body=self.body) if self.body else meetings.none()
        return meetings

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        for meeting in context["meetings"]:
            meeting.pack = shown_pack(meeting.packs, user)
        context.update(
            body=self.body,
            body_slug=self.request.GET.get("body", ""),
            bodies=GoverningBody.objects.filter(
                meetings__in=Meeting.objects.visible_to(user)
            )
            .distinct()
            .order_by("order", "name"),
            sees_internal=sees_internal(user),
        )
        return context


class MeetingDetailView(VisibleMeetingsMixin, DetailView):
    """One meeting: agenda, decisions with their action items, and the frozen
    board pack with its checksum and the summary of what changed."""

    template_name = "plans/meeting_detail.html"
    context_object_name = "meeting"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.object
        user = self.request.user
        internal = sees_internal(user)
        packs = list(meeting_packs().visible_to(user).filter(meeting=meeting))
        pack = shown_pack(packs, user)
        decisions = meeting.decision_items.prefetch_related(
            Prefetch(
                "action_items",
                queryset=ActionItem.objects.visible_to(user)
                .select_related("plan")
                .order_by("plan__title", "order", "code"),
                to_attr="visible_items",
            )
        )
        context.update(
            pack=pack,
            other_packs=[other for other in packs if other.is_closed and other != pack],
            correction_pending=next(
                (
                    other
                    for other in packs
                    if not other.is_closed and other != pack and internal
                ),
                None,
            ),
            decisions=list(decisions),
            sees_internal=internal,
            can_prepare_pack=user.has_perm("plans.add_boardpack"),
            report_links=report_links_for_meeting(meeting, user),
        )
        if pack is None:
            return context
        if not pack.is_closed:
            context["open_pack_plans"] = list(pack.plans.order_by("title"))
            return context
        public = not internal
        rows = list(frozen_items(pack, public=public))
        previous = previous_pack(pack, visible_to=user)
        context.update(
            groups=group_rows(rows),
            summary=status_summary(rows),
            strategies=strategy_summary(rows, public),
            health_rule=HEALTH_RULE,
            late_rows=late_rows(rows),
            overdue_rows=overdue_rows(rows, public),
            past_due_count=past_due_count(rows),
            item_count=len(rows),
            internal_row_count=sum(1 for row in rows if not row.is_public),
            indicators=with_numbers(frozen_indicators(pack, public=public)),
            previous=previous,
            changes=(
                compare_packs(previous, pack, public=public) if previous else None
            ),
        )
        return context


class MeetingChangesView(VisibleMeetingsMixin, DetailView):
    """What moved between two closed board packs: by default this meeting's and
    the previous one of the same body; ``?from=<meeting id>`` compares any pair."""

    template_name = "plans/meeting_changes.html"
    context_object_name = "meeting"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        context = self.get_context_data(object=self.object)
        status = 400 if context.get("from_error") else 200
        return self.render_to_response(context, status=status)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.object
        user = self.request.user
        internal = sees_internal(user)
        closed = (
            BoardPack.objects.current()
            .visible_to(user)
            .select_related("meeting__body")
            .without_documents()
        )
        pack = closed.filter(meeting=meeting).first()
        context.update(
            pack=pack,
            sees_internal=internal,
            report_links=report_links_for_meeting(meeting, user),
        )
        if pack is None:
            return context
        candidates = list(
            closed.exclude(pk=pack.pk).order_by("-meeting__date", "meeting__title")
        )
        raw_from = self.request.GET.get("from", "").strip()
        other = None
        if raw_from:
            other = next((c for c in candidates if str(c.meeting_id) == raw_from), None)
            if other is None:
                context["from_error"] = _(
                    "Choose a meeting with a closed board pack to compare with."
                )
        else:
            other = previous_pack(pack, visible_to=user)
        context.update(candidates=candidates, other=other, raw_from=raw_from)
        if other is None:
            return context
        if other.meeting.date <= pack.meeting.date:
            old, new = other, pack
        else:
            old, new = pack, other
        context.update(
            old=old,
            new=new,
            is_default=not raw_from,
            changes=compare_packs(old, new, public=not internal),
        )
        return context


class BoardPackPDFView(View):
    """A stored edition of a closed board pack: the same bytes on every
    request. Without ``pack`` in the URL, the meeting's current pack.

    The members' edition is for members only: anyone else gets 404, as for a
    pack they may not see. A pack closed a moment ago whose PDF the task
    worker has not stored yet answers 202 with a page that reloads itself.
    """

    edition = BoardPack.Edition.PUBLIC

    def get(self, request, pk, pack=None, edition=None):
        edition = edition or self.edition
        if edition not in BoardPack.Edition.values:
            raise Http404
        internal = sees_internal(request.user)
        if edition == BoardPack.Edition.MEMBERS and not internal:
            raise Http404
        packs = (
            BoardPack.objects.closed()
            .visible_to(request.user)
            .select_related("meeting__body")
            .filter(meeting_id=pk)
        )
        packs = packs.filter(pk=pack) if pack else packs.current()
        field = "members_pdf" if edition == BoardPack.Edition.MEMBERS else "pdf"
        fields = [*BoardPack.DOCUMENT_FIELDS]
        fields.remove(field)
        found = packs.defer(*fields).order_by("-closed_at").first()
        if found is None:
            raise Http404
        checksum = found.checksum(edition)
        if not checksum:
            if edition == BoardPack.Edition.MEMBERS and not found.members_html:
                raise Http404  # closed before there were members' editions
            return self.preparing(found)
        etag = quote_etag(checksum)
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
        else:
            content = bytes(getattr(found, field))
            response = HttpResponse(content, content_type="application/pdf")
            if edition == BoardPack.Edition.MEMBERS:
                name = _("Board pack %(body)s %(date)s (members).pdf")
            else:
                name = _("Board pack %(body)s %(date)s.pdf")
            filename = name % {
                "body": found.meeting.body.name,
                "date": found.meeting.date.isoformat(),
            }
            response["Content-Disposition"] = content_disposition_header(
                as_attachment=False, filename=filename
            )
        digest = base64.b64encode(bytes.fromhex(checksum)).decode("ascii")
        response["Repr-Digest"] = f"sha-256=:{digest}:"
        response["ETag"] = etag
        # Every use is revalidated (cheap: the ETag is the stored checksum), so
        # that a meeting hidden after the fact is gone from shared caches at
        # the next request instead of an hour later. The members' edition and
        # an internal meeting's pack are never kept by a shared cache.
        if found.meeting.is_public and edition == BoardPack.Edition.PUBLIC:
            patch_cache_control(response, public=True, no_cache=True)
        else:
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ["Cookie"])
        return response

    def preparing(self, pack):
        meeting = pack.meeting
        response = render(
            self.request,
            "plans/pdf_preparing.html",
            {
                "plan": meeting,
                "back_label": _("Read the meeting's page meanwhile"),
                "refresh_seconds": PREPARING_REFRESH_SECONDS,
                "title": _("Board pack %(body)s %(date)s")
                % {"body": meeting.body.name, "date": meeting.date.isoformat()},
            },
            status=202,
        )
        response["Retry-After"] = str(PREPARING_REFRESH_SECONDS)
        patch_cache_control(response, no_store=True)
        return response


class MeetingPackPDFView(BoardPackPDFView):
    """The public edition of the meeting's current board pack."""


class MeetingPackMembersPDFView(BoardPackPDFView):
    """The members' edition of the meeting's current board pack."""

    edition = BoardPack.Edition.MEMBERS
