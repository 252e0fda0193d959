"""Files of the campaigns app, served through their records' scope; public bulletin images by the token."""
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator

from sites.models import Site
from sites.views_common import RolePermRequiredMixin
from wuzha.lib.media import RecordFileView, extension

from ..models import Activity, ActivityPhoto, Bulletin, BulletinImage, BulletinReceipt, SchoolDuty, VillageDuty


class ActivityPhotoFileView(RecordFileView):
    model = Activity
    fields = ("image", "thumbnail")

    def get_record(self):
        activity = get_object_or_404(Activity.objects.visible_to(self.request.user), pk=self.kwargs["pk"])
        return get_object_or_404(ActivityPhoto, activity=activity, pk=self.kwargs["photo"])


class SchoolDutyFileView(RecordFileView):
    model = Site
    fields = ("rules_document",)

    def get_record(self):
        return get_object_or_404(SchoolDuty.objects.visible_to(self.request.user), site_id=self.kwargs["pk"],
                                 pk=self.kwargs["duty"])  # fmt: skip

    def download_name(self, record, field):
        return f"校纪校规-{record.pk}.{extension(record.rules_document.name)}"


class VillageDutyFileView(RecordFileView):
    model = VillageDuty
    fields = ("document", "photo")

    def download_name(self, record, field):
        return f"{record.get_kind_display()}-{record.pk}.{extension(getattr(record, field).name)}"


class BulletinAttachmentView(RolePermRequiredMixin, RecordFileView):
    role_perm = "campaigns.view_bulletin"
    model = Bulletin
    fields = ("attachment",)

    def download_name(self, record, field):
        return f"通报附件-{record.pk}.{extension(record.attachment.name)}"


class BulletinImageFileView(RolePermRequiredMixin, RecordFileView):
    role_perm = "campaigns.view_bulletin"
    model = Bulletin
    fields = ("image", "thumbnail")

    def get_record(self):
        bulletin = get_object_or_404(Bulletin.objects.visible_to(self.request.user), pk=self.kwargs["pk"])
        return get_object_or_404(BulletinImage, bulletin=bulletin, pk=self.kwargs["image"])


class ReceiptEvidenceFileView(RecordFileView):
    model = BulletinReceipt
    fields = ("evidence",)


@method_decorator(login_not_required, name="dispatch")
class BulletinPublicImageView(RecordFileView):
    """The public page's images: whoever holds the bulletin's public link sees them, no login."""

    fields = ("image",)

    def get_record(self):
        return get_object_or_404(BulletinImage, bulletin__public_token=self.kwargs["token"], pk=self.kwargs["image"])
