"""All Streamlit caching: one read-only connection per store file, results cached per filter key.

Cached functions take only small hashable arguments (the store key and a frozen Filters); they
never receive a DataFrame or a connection. The store key includes the file's inode and mtime, so a
store replaced by ``build`` is picked up on the next rerun without a restart, and a session reading
the old file keeps its own open connection to it until it finishes.
"""

from __future__ import annotations

from typing import Any

import duckdb
import streamlit as st

from jcm_dash import briefing, metrics, paths, queries, store, views
from jcm_dash.scope import Filters, Reference

StoreKey = tuple[str, int, int]


def store_key() -> StoreKey:
    """Identify the current store file; raises StoreMissingError when it is not built."""
    db = paths.db_path()
    try:
        stat = db.stat()
    except FileNotFoundError:
        message = f"No JCM store at {db}. Build it with: make store (or python -m jcm_dash build)"
        raise store.StoreMissingError(message) from None
    return (str(db), stat.st_ino, stat.st_mtime_ns)


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(key: StoreKey) -> duckdb.DuckDBPyConnection:
    return store.connect_read_only(key[0])


@st.cache_data(ttl=3600, max_entries=512, show_spinner=False)
def overview(key: StoreKey, filters: Filters) -> dict[str, Any]:
    """Everything the overview shows for ``filters`` (``summary --json`` uses the same metrics)."""
    return views.overview(_connection(key), filters)


@st.cache_data(ttl=3600, max_entries=16, show_spinner=False)
def reference(key: StoreKey) -> Reference:
    """Filter-independent lookups: partners, technologies, FY span, as-of date, targets, published figures."""
    con = _connection(key)
    partners = queries.partner_countries(con)
    return Reference(
        partners=partners,
        country_names=dict(zip(partners["iso3"], partners["country"], strict=True)),
        technologies=tuple(queries.technologies(con)),
        fy_span=queries.fy_span(con),
        as_of=queries.as_of(con),
        targets=metrics.tonnage_targets(queries.targets(con)),
        published=queries.published_figures(con),
    )


@st.cache_data(ttl=3600, max_entries=512, show_spinner=False)
def projection(key: StoreKey, filters: Filters, overrides: tuple[tuple[str, Any], ...] = ()) -> dict[str, Any]:
    """Projection for ``filters`` and the scenario overrides (sorted (field, value) pairs)."""
    return views.projection(_connection(key), filters, dict(overrides))


@st.cache_data(ttl=3600, max_entries=256, show_spinner=False)
def countries(key: StoreKey, filters: Filters) -> dict[str, Any]:
    """The countries page's data for ``filters``."""
    return views.countries(_connection(key), filters)


@st.cache_data(ttl=3600, max_entries=256, show_spinner=False)
def country_projects(key: StoreKey, filters: Filters, iso3: str) -> Any:
    """One partner country's projects within ``filters`` (the country profile's list)."""
    return views.country_projects(_connection(key), filters, iso3)


@st.cache_data(ttl=3600, max_entries=256, show_spinner=False)
def technologies(key: StoreKey, filters: Filters, level: str) -> dict[str, Any]:
    """The technologies page's data for ``filters`` at ``level``."""
    return views.technologies(_connection(key), filters, level)


@st.cache_data(ttl=3600, max_entries=256, show_spinner=False)
def project_explorer(key: StoreKey, filters: Filters, search: str = "") -> dict[str, Any]:
    """The projects page's data for ``filters`` and the search box's text."""
    return views.project_explorer(_connection(key), filters, search)


@st.cache_data(ttl=600, max_entries=8, show_spinner=False)
def all_projects(key: StoreKey, filters: Filters, search: str = "") -> Any:
    """Every project matching ``filters`` and ``search`` (the projects page's full download, made on click)."""
    return views.all_projects(_connection(key), filters, search)


@st.cache_data(ttl=3600, max_entries=256, show_spinner=False)
def project_in_scope(key: StoreKey, filters: Filters, project_ref: str) -> bool:
    """Whether the project ``project_ref`` is inside ``filters``."""
    return project_ref in queries.projects_among(_connection(key), filters, [project_ref])


@st.cache_data(ttl=3600, max_entries=256, show_spinner=False)
def project_detail(key: StoreKey, project_ref: str) -> Any:
    """One project's detail and every issuance naming it (None when the reference is unknown)."""
    return views.project_detail(_connection(key), project_ref)


@st.cache_data(ttl=600, max_entries=8, show_spinner=False)
def all_issuances(key: StoreKey, filters: Filters) -> Any:
    """Every issuance in ``filters`` (for the projects page's full download, made on click)."""
    return views.all_issuances(_connection(key), filters)


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def data_status(key: StoreKey, filters: Filters) -> dict[str, Any]:
    """The data page's figures for ``filters`` (coverage honours the country filter)."""
    return views.data_status(_connection(key), filters)


@st.cache_data(ttl=3600, max_entries=4, show_spinner=False)
def article6(key: StoreKey) -> dict[str, Any]:
    """The Article 6 page's data (no filter applies to it)."""
    return views.article6_context(_connection(key))


def briefing_pack(
    key: StoreKey,
    filters: Filters,
    overrides: dict[str, Any],
    lang: str,
    progress: Any,
    optional: tuple[str, ...] = (),
) -> briefing.Pack:
    """Generate the briefing pack (not cached: it is generated on request, reporting each step)."""
    return briefing.build(_connection(key), filters, overrides, lang, progress=progress, optional=optional)
