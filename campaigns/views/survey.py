"""Public satisfaction survey (N6.2): no login, CSRF-protected, flood-limited per client; poster with QR."""
import hashlib
import io

import qrcode
import qrcode.image.svg
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import DetailView

from ..duty_services import survey_answer
from ..forms import SurveyForm
from ..models import Enrolment

FLOOD_LIMIT = 5  # answers per client and site
FLOOD_WINDOW = 60 * 60  # seconds


def _client_key(request, enrolment) -> str:
    """A hashed, short-lived key for the client; the address itself is never stored."""
    ip = request.META.get("REMOTE_ADDR", "")
    digest = hashlib.sha256(f"{ip}|{request.META.get('HTTP_USER_AGENT', '')[:200]}".encode()).hexdigest()[:24]
    return f"survey-flood:{enrolment.pk}:{digest}"


def survey_url(request, enrolment) -> str:
    return request.build_absolute_uri(reverse("campaigns:survey") + f"?t={enrolment.survey_token}")


@method_decorator(login_not_required, name="dispatch")
class SurveyView(View):
    template_name = "campaigns/survey.html"

    def _enrolment(self, request):
        token = request.GET.get("t", "")
        try:
            return Enrolment.objects.select_related("site__village", "campaign").get(survey_token=token)
        except (Enrolment.DoesNotExist, ValidationError, ValueError):
            return None

    def get(self, request):
        enrolment = self._enrolment(request)
        return render(request, self.template_name, {"enrolment": enrolment, "form": SurveyForm(),
                                                    "done": request.GET.get("done") == "1"})  # fmt: skip

    def post(self, request):
        enrolment = self._enrolment(request)
        if enrolment is None:
            return render(request, self.template_name, {"enrolment": None}, status=404)
        key = _client_key(request, enrolment)
        count = cache.get(key, 0)
        form = SurveyForm(request.POST)
        if count >= FLOOD_LIMIT:
            form.add_error(None, "提交过于频繁,请稍后再试。感谢您的参与!")
            return render(request, self.template_name, {"enrolment": enrolment, "form": form}, status=429)
        if form.is_valid():
            try:
                survey_answer(enrolment=enrolment, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                cache.add(key, 0, FLOOD_WINDOW)
                try:
                    cache.incr(key)
                except ValueError:
                    cache.set(key, 1, FLOOD_WINDOW)
                return redirect(reverse("campaigns:survey") + f"?t={enrolment.survey_token}&done=1")
        return render(request, self.template_name, {"enrolment": enrolment, "form": form}, status=400)


class PosterView(DetailView):
    """The printable A4 poster of one enrolled site, with the QR code to its survey."""

    model = Enrolment
    template_name = "campaigns/poster.html"

    def get_queryset(self):
        return Enrolment.objects.visible_to(self.request.user).select_related("site__village", "campaign")

    def get_context_data(self, **kwargs):
        return super().get_context_data(survey_url=survey_url(self.request, self.object), **kwargs)


class PosterQrView(DetailView):
    """The QR code as SVG, made here (no CDN, no external service)."""

    model = Enrolment

    def get_queryset(self):
        return Enrolment.objects.visible_to(self.request.user)

    def render_to_response(self, context, **kwargs):
        img = qrcode.make(survey_url(self.request, self.object), image_factory=qrcode.image.svg.SvgPathImage,
                          box_size=20, border=2)  # fmt: skip
        buffer = io.BytesIO()
        img.save(buffer)
        return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
