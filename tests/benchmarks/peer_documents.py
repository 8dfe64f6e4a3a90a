"""The same documents as search.backends.elasticsearch.document(), declared
the way django-elasticsearch-dsl's documentation shows: fields read from the
model by attribute path, `prepare_<field>` for the computed ones, the
queryset narrowed in get_queryset with select_related, and
queryset_pagination for a large table. Imported after django.setup().

Two variants, by settings.PEER_TOKENS:
* "analyse" (the usual way): the token fields are computed in prepare_*
  methods from the texts, with search/analysis.py, as ours were before
  search entries kept them;
* "stored": the token fields read the stored search entry, as our rebuild
  does, so both sides do the same work per document and the comparison is of
  the indexing machinery alone: reading, chunking, bulk requests."""

from django.conf import settings
from django_elasticsearch_dsl import Document, fields
from django_elasticsearch_dsl.registries import registry

from directory import taxonomy
from directory.models import Business
from directory.taxonomy import NAICS
from search import analysis


class PeerBusinessDocument(Document):
    slug = fields.KeywordField()
    name = fields.TextField(analyzer="standard")
    name_tokens = fields.TextField(attr="search_entry.name_tokens", analyzer="whitespace")
    name_prefix = fields.TextField(analyzer="whitespace", index_prefixes={"min_chars": 1, "max_chars": 10})
    name_sort = fields.KeywordField(attr="name")
    offers_tokens = fields.TextField(attr="search_entry.offers_tokens", analyzer="whitespace")
    seeks_tokens = fields.TextField(attr="search_entry.seeks_tokens", analyzer="whitespace")
    body_tokens = fields.TextField(attr="search_entry.body_tokens", analyzer="whitespace")
    description = fields.TextField(analyzer="standard")
    offers_text = fields.TextField(analyzer="standard")
    seeks_text = fields.TextField(analyzer="standard")
    description_language = fields.KeywordField()
    city = fields.KeywordField(attr="city.slug")
    country = fields.KeywordField(attr="city.country")
    relationship = fields.KeywordField(attr="city.relationship")
    naics = fields.KeywordField(multi=True)
    naics_sector = fields.KeywordField(multi=True)
    offers = fields.KeywordField(multi=True)
    offers_chapter = fields.KeywordField(multi=True)
    seeks = fields.KeywordField(multi=True)
    seeks_chapter = fields.KeywordField(multi=True)
    offers_read = fields.KeywordField(multi=True)
    seeks_read = fields.KeywordField(multi=True)
    trade_roles = fields.KeywordField(multi=True)
    languages = fields.KeywordField(multi=True)
    verified = fields.BooleanField()
    confirmed_at = fields.DateField()
    updated_at = fields.DateField()

    class Index:
        name = settings.PEER_INDEX
        settings = {"number_of_shards": 1, "number_of_replicas": 0}

    class Django:
        model = Business
        queryset_pagination = 500

    def get_queryset(self):
        return Business.objects.public().select_related("city", "search_entry").order_by("pk")

    def prepare_name_prefix(self, business):
        return " ".join(analysis.words(business.name))

    def prepare_naics(self, business):
        return taxonomy.with_ancestors(business.naics, "naics")

    def prepare_naics_sector(self, business):
        naics = taxonomy.with_ancestors(business.naics, "naics")
        return sorted({NAICS.COMBINED_SECTORS.get(c, c) for c in naics if len(c) == 2})

    def prepare_offers(self, business):
        return taxonomy.with_ancestors(business.offers_hs, "hs")

    def prepare_offers_chapter(self, business):
        return [c for c in taxonomy.with_ancestors(business.offers_hs, "hs") if len(c) == 2]

    def prepare_seeks(self, business):
        return taxonomy.with_ancestors(business.seeks_hs, "hs")

    def prepare_seeks_chapter(self, business):
        return [c for c in taxonomy.with_ancestors(business.seeks_hs, "hs") if len(c) == 2]

    def prepare_offers_read(self, business):
        return taxonomy.with_ancestors(business.suggested_offers_hs, "hs")

    def prepare_seeks_read(self, business):
        return taxonomy.with_ancestors(business.suggested_seeks_hs, "hs")

    def prepare_trade_roles(self, business):
        return business.trade_roles

    def prepare_languages(self, business):
        return sorted(set(business.languages) | {business.description_language})

    def prepare_verified(self, business):
        return business.verified_at is not None


class AnalysingDocument(PeerBusinessDocument):
    class Index:
        name = settings.PEER_INDEX
        settings = {"number_of_shards": 1, "number_of_replicas": 0}

    def prepare_name_tokens(self, business):
        return " ".join(analysis.tokens(business.name, business.description_language))

    def prepare_offers_tokens(self, business):
        return " ".join(analysis.tokens(business.offers_text, business.description_language))

    def prepare_seeks_tokens(self, business):
        return " ".join(analysis.tokens(business.seeks_text, business.description_language))

    def prepare_body_tokens(self, business):
        body = "\n".join([business.description, business.city.name, " ".join(business.certifications or [])])
        return " ".join(analysis.tokens(body, business.description_language))


class StoredTokensDocument(PeerBusinessDocument):
    class Index:
        name = settings.PEER_INDEX
        settings = {"number_of_shards": 1, "number_of_replicas": 0}


registry.register_document(AnalysingDocument if settings.PEER_TOKENS == "analyse" else StoredTokensDocument)
