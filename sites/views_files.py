"""Files of the sites app (tip-off photos, sweep finding photos), served through their records' scope."""
from django.shortcuts import get_object_or_404

from wuzha.lib.media import RecordFileView

from .models import Finding, Sweep, TipOff, TipPhoto
from .views_common import RolePermRequiredMixin


class TipPhotoFileView(RolePermRequiredMixin, RecordFileView):
    role_perm = "sites.view_tipoff"
    model = TipOff
    fields = ("image", "thumbnail")

    def get_record(self):
        tip = get_object_or_404(TipOff.objects.visible_to(self.request.user), pk=self.kwargs["pk"])
        return get_object_or_404(TipPhoto, tip=tip, pk=self.kwargs["photo"])


class FindingPhotoFileView(RolePermRequiredMixin, RecordFileView):
    role_perm = "sites.view_sweep"
    model = Sweep
    fields = ("photo",)

    def get_record(self):
        return get_object_or_404(Finding.objects.visible_to(self.request.user), sweep_id=self.kwargs["pk"],
                                 pk=self.kwargs["finding"])  # fmt: skip
