"""Meetings of the governing bodies, their frozen board packs and what changed
between two packs ("since last meeting").

Anonymous visitors see public meetings and closed packs only, and of a pack
only its public rows and public updates; signed-in members see every row, the
internal ones marked. The stored PDF is the public version for everyone.
"""

import base64
import re

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Prefetch
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header, quote_etag
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from flemingsberg.permissions import sees_internal
from plans.models import ActionItem, BoardPack, Meeting
from plans.services.boardpacks import (
    compare_packs,
    frozen_indicators,
    frozen_items,
    group_rows,
    past_due_count,
    previous_pack,
    status_summary,
    with_numbers,
)
from plans.services.reports import report_links_for_meeting
from stakeholders.models import GoverningBody

SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def pack_of(meeting, user):
    """The meeting's board pack if the user may see it (members: open ones too)."""
    try:
        pack = meeting.board_pack
    except ObjectDoesNotExist:
        return None
    if pack.is_closed or sees_internal(user):
        return pack
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
            .select_related("board_pack")
            .defer("board_pack__pdf")
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
            meeting.pack = pack_of(meeting, user)
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
        pack = (
            BoardPack.objects.visible_to(user)
            .filter(meeting=meeting)
            .select_related("closed_by")
            .defer("pdf")
            .first()
        )
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
            decisions=list(decisions),
            sees_internal=internal,
            report_links=report_links_for_meeting(meeting, user),
        )
        if pack is None:
            return context
        if not pack.is_closed:
            context["open_pack_plans"] = list(pack.plans.order_by("title"))
            return context
        rows = list(frozen_items(pack, public=not internal))
        previous = previous_pack(pack, visible_to=user)
        context.update(
            groups=group_rows(rows),
            summary=status_summary(rows),
            past_due_count=past_due_count(rows, timezone.localdate(pack.closed_at)),
            item_count=len(rows),
            internal_row_count=sum(1 for row in rows if not row.is_public),
            indicators=with_numbers(frozen_indicators(pack, public=not internal)),
            previous=previous,
            changes=(
                compare_packs(previous, pack, public=not internal) if previous else None
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
            BoardPack.objects.closed()
            .visible_to(user)
            .select_related("meeting__body")
            .defer("pdf")
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


class MeetingPackPDFView(View):
    """The stored PDF of a closed board pack: the same bytes on every request."""

    def get(self, request, pk):
        pack = get_object_or_404(
            BoardPack.objects.closed()
            .visible_to(request.user)
            .select_related("meeting__body"),
            meeting_id=pk,
        )
        etag = quote_etag(pack.pdf_sha256)
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(bytes(pack.pdf), content_type="application/pdf")
            filename = _("Board pack %(body)s %(date)s.pdf") % {
                "body": pack.meeting.body.name,
                "date": pack.meeting.date.isoformat(),
            }
            response["Content-Disposition"] = content_disposition_header(
                as_attachment=False, filename=filename
            )
        digest = base64.b64encode(bytes.fromhex(pack.pdf_sha256)).decode("ascii")
        response["Repr-Digest"] = f"sha-256=:{digest}:"
        response["ETag"] = etag
        # Every use is revalidated (cheap: the ETag is the stored checksum), so
        # that a meeting hidden after the fact is gone from shared caches at
        # the next request instead of an hour later.
        if pack.meeting.is_public:
            patch_cache_control(response, public=True, no_cache=True)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response
