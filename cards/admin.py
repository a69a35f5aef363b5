from django.contrib import admin

from cards.models import Asset, Card, Deck, Note, NoteLink


@admin.register(Deck)
class DeckAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}


class CardInline(admin.TabularInline):
    model = Card
    fields = ["kind", "front", "back", "line", "status"]
    readonly_fields = ["kind", "front", "back", "line"]
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["title", "deck", "path", "warning_count", "removed_at", "updated_at"]
    list_filter = ["deck", "removed_at"]
    search_fields = ["title", "path", "source"]
    readonly_fields = ["content_hash", "html", "warnings", "created_at", "updated_at"]
    inlines = [CardInline]

    @admin.display(description="Warnings")
    def warning_count(self, note):
        return len(note.warnings)


@admin.register(Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ["front", "kind", "note", "line", "status"]
    list_filter = ["kind", "status", "note__deck"]
    search_fields = ["front", "back", "key"]
    list_select_related = ["note"]
    readonly_fields = ["key", "identity", "front_html", "back_html", "created_at", "updated_at"]


@admin.register(NoteLink)
class NoteLinkAdmin(admin.ModelAdmin):
    list_display = ["source", "target_text", "target", "line"]
    list_select_related = ["source", "target"]


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = ["path", "deck", "content_type"]
    list_filter = ["deck"]
    exclude = ["data"]
