"""The user's reminders: list, open (a POST that marks it read, then goes to the form that settles it), clear."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import ListView

from wuzha.lib.http import NoStoreMixin

from .models import Reminder
from .reminders import reminder_clear, reminder_read, reminders_clear_read, reminders_read_all


class ReminderListView(NoStoreMixin, ListView):
    template_name = "sites/reminder_list.html"
    context_object_name = "reminders"
    paginate_by = 25

    def get_queryset(self):
        return Reminder.objects.visible_to(self.request.user).live().order_by("read_at", "due_on", "-pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(querystring="", **kwargs)


class _OwnReminderMixin(NoStoreMixin):
    model = Reminder  # for the scope crawl: another user's reminder is 404

    def get_reminder(self):
        return get_object_or_404(Reminder.objects.visible_to(self.request.user), pk=self.kwargs["pk"])


class ReminderOpenView(_OwnReminderMixin, View):
    """POST marks read and goes on; a GET (an old link, a prefetch) changes nothing and shows the list."""

    def get(self, request, pk):
        self.get_reminder()
        return redirect("sites:reminder_list")

    def post(self, request, pk):
        reminder = reminder_read(actor=request.user, reminder=self.get_reminder())
        target = reminder.url
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None) and target.startswith("/"):
            return redirect(target)
        return redirect("sites:reminder_list")


class ReminderClearView(_OwnReminderMixin, View):
    def get(self, request, pk):
        self.get_reminder()
        return redirect("sites:reminder_list")

    def post(self, request, pk):
        reminder_clear(actor=request.user, reminder=self.get_reminder())
        messages.success(request, "已清除这条提醒。")
        return redirect("sites:reminder_list")


class ReminderBulkView(NoStoreMixin, View):
    """POST only: 全部标为已读 / 清除已读."""

    action = ""

    def post(self, request):
        if self.action == "read_all":
            n = reminders_read_all(actor=request.user)
            messages.success(request, f"已将 {n} 条提醒标为已读。")
        else:
            n = reminders_clear_read(actor=request.user)
            messages.success(request, f"已清除 {n} 条已读提醒。")
        return redirect("sites:reminder_list")
