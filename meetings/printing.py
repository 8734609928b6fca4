"""The printable agenda: one template for the browser's print and for the PDF."""

import mimetypes
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .agenda import agenda_days


def context(meeting):
    zone = meeting.zone
    return {
        "project": meeting.project,
        "meeting": meeting,
        "days": agenda_days(meeting, viewer_zone=zone),
        "printed_at": timezone.localtime(timezone.now(), zone),
    }


class StaticFilesOnly(URLFetcher):
    """WeasyPrint may read our own static files (the stylesheet) and nothing from the network."""

    def fetch(self, url, headers=None):
        path = urlparse(url).path
        if not path.startswith(settings.STATIC_URL):
            raise ValueError(f"Not a static file: {url}")
        found = finders.find(path[len(settings.STATIC_URL) :])
        if not found:
            raise ValueError(f"No such static file: {url}")
        with open(found, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


def agenda_pdf(request, meeting):
    html = render_to_string(
        "meetings/agenda_print.html", dict(context(meeting), for_pdf=True), request=request
    )
    return HTML(
        string=html, base_url=request.build_absolute_uri("/"), url_fetcher=StaticFilesOnly()
    ).write_pdf()


def file_name(meeting):
    return f"{slugify(meeting.title) or 'agenda'}-{meeting.starts_on.isoformat()}.pdf"
