"""Admin pages for looking into practices and evaluations; changes go through the app."""

from django.contrib import admin

from .models import Criterion, Evaluation, EvaluationRound, Practice, TargetGroup


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "project", "status", "evaluation_count"]
    list_filter = ["status", "project"]
    search_fields = ["title", "summary"]
    readonly_fields = ["evaluation_count", "rating_mean", "transfer_count"]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["practice", "evaluator", "country", "transferability", "updated_at"]
    list_filter = ["country"]


admin.site.register([Criterion, TargetGroup, EvaluationRound])
