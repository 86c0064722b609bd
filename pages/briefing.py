"""Briefing pack: a PPTX deck, a one-page PDF and the charts as PNG / SVG, for a chosen scope and language."""

import time

import streamlit as st

from jcm_dash import briefing, i18n
from jcm_dash.scope import Filters
from jcm_dash.ui import cached, scenario, shell

page = shell.context()
key, ref, selection, t = page.store_key, page.reference, page.filters, page.t
RESULT = "_briefing_pack"

st.title(t("briefing.heading"))
st.markdown(t("briefing.intro"))

names = t.countries(ref.country_names)
lo, hi = ref.fy_span
with st.form("briefing_scope"):
    left, right = st.columns(2)
    countries = left.multiselect(
        t("briefing.countries"),
        options=sorted(names, key=names.get),
        default=list(selection.countries),
        format_func=names.get,
        placeholder=t("filters.countries_all", n=len(names)),
    )
    techs = right.multiselect(
        t("briefing.technologies"),
        options=ref.technologies,
        default=list(selection.techs),
        format_func=t.tech,
        placeholder=t("filters.technology_all"),
    )
    years = left.slider(
        t("briefing.fiscal_years"),
        min_value=lo,
        max_value=hi,
        value=selection.fy_range(ref.fy_span),
        format=t("fy.slider_format"),
    )
    lang = right.radio(
        t("briefing.language"),
        list(i18n.LANGUAGES),
        index=list(i18n.LANGUAGES).index(t.lang),
        format_func=i18n.LANGUAGES.get,
        horizontal=True,
    )
    with_article6 = right.checkbox(t("briefing.article6_checkbox"), help=t("briefing.article6_checkbox_help"))
    overrides = scenario.overrides()
    used = scenario.describe(overrides) or t("briefing.scenario_defaults")
    st.caption(t.md("briefing.scenario_used", scenario=used))
    submitted = st.form_submit_button(t("briefing.generate"), type="primary", icon=":material/slideshow:")

if submitted:
    scope = Filters.within(ref.fy_span, countries, techs, years)
    started = time.perf_counter()
    with st.status(t("briefing.generating"), expanded=True) as status:
        try:
            pack = cached.briefing_pack(
                key, scope, overrides, lang, progress=status.write, optional=("article6",) if with_article6 else ()
            )
        except (RuntimeError, OSError) as err:
            status.update(state="error")
            st.error(t.md("briefing.failed", error=err, browser=briefing.CHROMIUM))
            st.stop()
        seconds = f"{time.perf_counter() - started:.1f}"
        status.update(label=t("briefing.done", n=len(pack.files), seconds=seconds), state="complete", expanded=False)
    st.session_state[RESULT] = pack

pack = st.session_state.get(RESULT)
if pack is not None:
    files = pack.files
    offered = (
        (
            "pptx",
            files[f"{pack.stem}.pptx"],
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("pdf", files[f"{pack.stem}.pdf"], "application/pdf"),
        ("zip", pack.zip, "application/zip"),  # zipped only when clicked
    )
    for column, (suffix, data, mime) in zip(st.columns(len(offered)), offered, strict=True):
        column.download_button(
            t(f"briefing.download_{suffix}"),
            data,
            file_name=f"{pack.stem}.{suffix}",
            mime=mime,
            icon=":material/download:",
            on_click="ignore",
            key=f"download_{suffix}",
        )
    st.subheader(t("briefing.images_heading"))
    images = [name for name in files if name.endswith(".png")]
    grid = st.columns(2)
    for i, name in enumerate(images):
        grid[i % 2].image(files[name], caption=name, width="stretch")
