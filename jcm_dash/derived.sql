-- Derived tables, computed once at build time after the data tables are loaded (jcm_dash.store).
-- Readers never recompute them per query: at 1,000× scale the per-issuance aggregation over
-- issuance_projects alone took most of a view's time (bench/RESULTS.md).

-- One row per issuance that names at least one project: its project set and technology labels.
-- A label is 'Not classified' when none of the projects has a value at that level, the value when
-- all agree, else 'Mixed: a + b' (sorted). technologies lists the distinct UNEP types (NULLs dropped);
-- has_unclassified says whether some project has no type (such an issuance matches no type filter).
CREATE TABLE issuance_sets AS
WITH sets AS (
    SELECT ip.issuance_id,
           string_agg(ip.project_ref, ';' ORDER BY ip.project_ref) AS project_set,
           list_sort(list_distinct(list(p.unep_type))) AS technologies,
           list_sort(list_distinct(list(p.unep_subtype))) AS subtypes,
           list_sort(list_distinct(list(p.technology_detail))) AS details,
           bool_or(p.unep_type IS NULL) AS has_unclassified
    FROM issuance_projects ip
    JOIN projects p USING (project_ref)
    GROUP BY ip.issuance_id
)
SELECT issuance_id, project_set, technologies, has_unclassified,
       CASE WHEN len(technologies) = 0 THEN 'Not classified' WHEN len(technologies) = 1 THEN technologies[1]
            ELSE 'Mixed: ' || array_to_string(technologies, ' + ') END AS technology,
       CASE WHEN len(subtypes) = 0 THEN 'Not classified' WHEN len(subtypes) = 1 THEN subtypes[1]
            ELSE 'Mixed: ' || array_to_string(subtypes, ' + ') END AS technology_subtype,
       CASE WHEN len(details) = 0 THEN 'Not classified' WHEN len(details) = 1 THEN details[1]
            ELSE 'Mixed: ' || array_to_string(details, ' + ') END AS technology_detail
FROM sets;

-- Each distinct set of UNEP types an issuance's projects have, numbered. A technology filter is
-- matched against these few sets once, then rows are kept by tech_set_id (an integer), instead of
-- testing a list on every row.
CREATE TABLE technology_sets AS
SELECT row_number() OVER (ORDER BY technologies, has_unclassified)::INTEGER AS tech_set_id, technologies, has_unclassified
FROM (SELECT DISTINCT technologies, has_unclassified FROM issuance_sets);

-- One row per issuance with every column a page shows, its technology labels and tech_set_id
-- (NULL when the issuance names no project: it then matches no technology filter), newest first.
-- Every row-level issuance query reads this one table without a join (joining issuances to
-- issuance_sets per query cost about 120 ms at 1,000× scale). DuckDB stores it by column, so a
-- filter or a count reads only the key columns; stored newest first, the latest issuances are a
-- Top-N that skips all but the first row groups and fetches the wide columns of those rows only.
CREATE TABLE issuance_rows AS
SELECT i.issuance_id, i.country, i.country_iso3, i.project_refs, i.project_refs_basis, i.project_refs_note,
       i.decision_date, i.reported_date, i.monitoring_period_start, i.monitoring_period_end,
       i.event_date, i.event_date_basis, i.fiscal_year,
       i.credits_issued_tco2, i.japan_side_tco2, i.partner_side_tco2, i.goj_share_tco2,
       i.value_basis, i.source_url, i.source_url_2, i.notes, i.n_projects,
       l.project_set, l.technology, l.technology_subtype, l.technology_detail, s.tech_set_id
FROM issuances i
LEFT JOIN issuance_sets l USING (issuance_id)
LEFT JOIN technology_sets s ON s.technologies = l.technologies AND s.has_unclassified = l.has_unclassified
ORDER BY i.event_date DESC NULLS LAST, i.issuance_id;

-- The same keys per (project, issuance naming it): attribution and coverage read this one table.
CREATE TABLE project_issuance_keys AS
SELECT ip.project_ref, k.issuance_id, k.country_iso3, k.fiscal_year, k.event_date, k.n_projects,
       k.credits_issued_tco2, k.tech_set_id
FROM issuance_projects ip
JOIN issuance_rows k USING (issuance_id)
ORDER BY ip.project_ref, k.issuance_id;

-- Issuances pre-aggregated over every dimension a filter or a breakdown uses (country, FY, the
-- technology set and its labels): queries.issuance_cube filters and re-sums these few rows
-- instead of every issuance. Sums are NULL when no issuance in the group states the amount.
CREATE TABLE issuance_facts AS
SELECT i.country_iso3, i.country, i.fiscal_year, i.tech_set_id,
       i.technology, i.technology_subtype, i.technology_detail,
       count(*) AS n,
       sum(i.credits_issued_tco2) AS credits_issued_tco2, count(i.credits_issued_tco2) AS n_credits_issued_tco2,
       sum(i.japan_side_tco2) AS japan_side_tco2, count(i.japan_side_tco2) AS n_japan_side_tco2,
       sum(i.partner_side_tco2) AS partner_side_tco2, count(i.partner_side_tco2) AS n_partner_side_tco2,
       sum(i.goj_share_tco2) AS goj_share_tco2, count(i.goj_share_tco2) AS n_goj_share_tco2
FROM issuance_rows i
GROUP BY ALL;

-- The distinct sources per filter dimension (for export headers).
CREATE TABLE issuance_source_facts AS
SELECT DISTINCT k.country_iso3, k.fiscal_year, k.tech_set_id, k.url
FROM (SELECT country_iso3, fiscal_year, tech_set_id, unnest([source_url, source_url_2]) AS url FROM issuance_rows) k
WHERE k.url IS NOT NULL AND trim(k.url) <> '';

-- Known credits per country and day (the dataset beside a published total at its date).
CREATE TABLE issued_by_day AS
SELECT country_iso3, event_date, sum(credits_issued_tco2) AS credits_issued_tco2
FROM issuances
WHERE event_date IS NOT NULL
GROUP BY ALL;

-- Projects pre-aggregated over the filter and breakdown dimensions.
CREATE TABLE project_facts AS
SELECT country_iso3, country, status_code, unep_type, unep_subtype, technology_detail, event_fy,
       count(*) AS n,
       sum(expected_annual_reductions_tco2) AS expected_annual_reductions_tco2,
       count(expected_annual_reductions_tco2) AS n_expected_annual_reductions_tco2
FROM projects
GROUP BY ALL;

-- Issued monitoring periods usable to measure the issuance-success ratio: a known amount, a
-- monitoring period, and named projects that all state expected reductions.
CREATE TABLE issued_periods AS
WITH per_issuance AS (
    SELECT ip.issuance_id,
           sum(p.expected_annual_reductions_tco2) AS expected_annual_tco2,
           count(*) AS n_projects,
           count(p.expected_annual_reductions_tco2) AS n_with_expected,
           string_agg(ip.project_ref, ';' ORDER BY ip.project_ref) AS project_refs
    FROM issuance_projects ip
    JOIN projects p USING (project_ref)
    GROUP BY ip.issuance_id
)
SELECT i.issuance_id, pi.project_refs, i.credits_issued_tco2 AS issued_tco2,
       date_diff('day', i.monitoring_period_start, i.monitoring_period_end) + 1 AS period_days,
       pi.expected_annual_tco2
FROM issuances i
JOIN per_issuance pi USING (issuance_id)
WHERE i.credits_issued_tco2 IS NOT NULL
  AND i.monitoring_period_start IS NOT NULL AND i.monitoring_period_end IS NOT NULL
  AND pi.n_projects = pi.n_with_expected;

-- The success ratio is measured on the whole store, whatever the filter: totals and per-issuance
-- quartiles of issued ÷ expected (jcm_dash.projections.success_ratio turns them into the ratio;
-- tests/test_cube.py checks them against the pandas measure in tests/reference.py).
CREATE TABLE success_ratio_inputs AS
WITH usable AS (
    SELECT issuance_id, project_refs, issued_tco2, expected_annual_tco2 * period_days / 365.25 AS expected_tco2
    FROM issued_periods
    WHERE period_days > 0 AND expected_annual_tco2 > 0
)
SELECT count(*) AS issuances,
       sum(issued_tco2) AS issued_tco2,
       sum(expected_tco2) AS expected_tco2,
       quantile_cont(issued_tco2 / expected_tco2, 0.25) AS q25,
       quantile_cont(issued_tco2 / expected_tco2, 0.75) AS q75,
       (SELECT count(DISTINCT ref) FROM (SELECT unnest(string_split(project_refs, ';')) AS ref FROM usable)) AS projects
FROM usable;
