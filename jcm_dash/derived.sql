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

-- Issuances pre-aggregated over every dimension a filter or a breakdown uses (country, FY, the
-- technology set and its labels): queries.ISSUANCE_CUBE_SQL filters and re-sums these few rows
-- instead of every issuance. Sums are NULL when no issuance in the group states the amount.
CREATE TABLE issuance_facts AS
SELECT i.country_iso3, i.country, i.fiscal_year,
       l.technologies, l.has_unclassified, l.technology, l.technology_subtype, l.technology_detail,
       count(*) AS n,
       sum(i.credits_issued_tco2) AS credits_issued_tco2, count(i.credits_issued_tco2) AS n_credits_issued_tco2,
       sum(i.japan_side_tco2) AS japan_side_tco2, count(i.japan_side_tco2) AS n_japan_side_tco2,
       sum(i.partner_side_tco2) AS partner_side_tco2, count(i.partner_side_tco2) AS n_partner_side_tco2,
       sum(i.goj_share_tco2) AS goj_share_tco2, count(i.goj_share_tco2) AS n_goj_share_tco2
FROM issuances i
LEFT JOIN issuance_sets l USING (issuance_id)
GROUP BY ALL;

-- The distinct sources per filter dimension (for export headers).
CREATE TABLE issuance_source_facts AS
SELECT DISTINCT i.country_iso3, i.fiscal_year, l.technologies, l.has_unclassified, u.url
FROM issuances i
LEFT JOIN issuance_sets l USING (issuance_id),
     (SELECT unnest([i2.source_url, i2.source_url_2]) AS url, i2.issuance_id FROM issuances i2) u
WHERE u.issuance_id = i.issuance_id AND u.url IS NOT NULL AND trim(u.url) <> '';

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
