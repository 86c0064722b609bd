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
