-- The JCM store. Every source column is kept; derived columns (country_iso3, fiscal_year, ...)
-- are filled by jcm_dash.store at build time from one Python rule (jcm_dash.fiscal).
-- Constraints are the second net behind jcm_dash.validate, which reports problems by row/column.

CREATE TABLE meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);

-- One row per file loaded: the CSVs of a build, or each file (or Excel sheet) of an import.
CREATE TABLE imports (
    import_id INTEGER PRIMARY KEY,
    kind VARCHAR NOT NULL CHECK (kind IN ('build', 'import')),
    file_name VARCHAR NOT NULL,
    sheet VARCHAR,
    table_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    rows INTEGER NOT NULL CHECK (rows >= 0),
    added INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    imported_by VARCHAR
);

CREATE TABLE partner_countries (
    iso3 VARCHAR PRIMARY KEY CHECK (regexp_full_match(iso3, '[A-Z]{3}')),
    country VARCHAR NOT NULL UNIQUE,
    date_bilateral_document_signed VARCHAR,
    date_precision VARCHAR,
    partner_order INTEGER,
    partner_order_basis VARCHAR,
    place VARCHAR,
    source_url VARCHAR NOT NULL,
    source_url_2 VARCHAR,
    notes VARCHAR,
    -- derived: the signing date when the source gives the exact day
    signed_date DATE,
    last_import_id INTEGER NOT NULL REFERENCES imports (import_id)  -- provenance
);

CREATE TABLE projects (
    project_ref VARCHAR PRIMARY KEY,
    country VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    status_code VARCHAR NOT NULL CHECK (status_code IN ('registered', 'validation', 'withdrawn', 'planned')),
    status_detail VARCHAR,
    registration_date DATE,
    pin_decision_date DATE,
    unep_type VARCHAR,
    unep_subtype VARCHAR,
    technology_detail VARCHAR,
    methodology_ref VARCHAR,
    expected_annual_reductions_tco2 DOUBLE CHECK (expected_annual_reductions_tco2 >= 0),
    expected_reductions_source VARCHAR,
    financing_programme VARCHAR,
    host_participant VARCHAR,
    japanese_participant VARCHAR,
    source_url VARCHAR NOT NULL,
    source_url_2 VARCHAR,
    unep_source_url VARCHAR,
    retrieved_via VARCHAR,
    notes VARCHAR,
    -- derived
    country_iso3 VARCHAR NOT NULL REFERENCES partner_countries (iso3),
    event_date DATE,          -- registration_date, else pin_decision_date
    event_fy INTEGER,         -- Japanese fiscal year of event_date
    last_import_id INTEGER NOT NULL REFERENCES imports (import_id)  -- provenance
);

CREATE TABLE issuances (
    issuance_id VARCHAR PRIMARY KEY,
    country VARCHAR NOT NULL,
    project_refs VARCHAR,
    project_refs_basis VARCHAR,
    project_refs_note VARCHAR,
    decision_date DATE,
    reported_date DATE,
    monitoring_period_start DATE,
    monitoring_period_end DATE,
    credits_issued_tco2 DOUBLE CHECK (credits_issued_tco2 >= 0),
    japan_side_tco2 DOUBLE CHECK (japan_side_tco2 >= 0),
    partner_side_tco2 DOUBLE CHECK (partner_side_tco2 >= 0),
    goj_share_tco2 DOUBLE CHECK (goj_share_tco2 >= 0),
    value_basis VARCHAR,
    source_url VARCHAR NOT NULL,
    source_url_2 VARCHAR,
    retrieved_via VARCHAR,
    notes VARCHAR,
    -- derived
    country_iso3 VARCHAR NOT NULL REFERENCES partner_countries (iso3),
    event_date DATE,          -- decision_date, else reported_date, else NULL ("date unknown")
    event_date_basis VARCHAR NOT NULL CHECK (event_date_basis IN ('decision', 'reported', 'unknown')),
    fiscal_year INTEGER,      -- Japanese fiscal year of event_date
    n_projects INTEGER NOT NULL,
    CHECK (monitoring_period_start IS NULL OR monitoring_period_end IS NULL
           OR monitoring_period_start <= monitoring_period_end),
    CHECK (japan_side_tco2 IS NULL OR partner_side_tco2 IS NULL OR credits_issued_tco2 IS NULL
           OR japan_side_tco2 + partner_side_tco2 <= credits_issued_tco2),
    last_import_id INTEGER NOT NULL REFERENCES imports (import_id)  -- provenance
);

-- An issuance can name several projects, or none (then it has no rows here).
CREATE TABLE issuance_projects (
    issuance_id VARCHAR NOT NULL REFERENCES issuances (issuance_id),
    project_ref VARCHAR NOT NULL REFERENCES projects (project_ref),
    PRIMARY KEY (issuance_id, project_ref)
);

CREATE TABLE targets (
    target_name VARCHAR PRIMARY KEY,
    value_low_tco2 DOUBLE CHECK (value_low_tco2 >= 0),
    value_high_tco2 DOUBLE CHECK (value_high_tco2 >= 0),
    deadline VARCHAR,
    scope VARCHAR,
    announced_date VARCHAR,
    status VARCHAR,
    source_url VARCHAR NOT NULL,
    source_url_2 VARCHAR,
    notes VARCHAR,
    -- derived: the FY of a tonnage target's deadline ("FY2030" -> 2030)
    deadline_fy INTEGER,
    is_superseded BOOLEAN NOT NULL,
    CHECK (value_low_tco2 IS NULL OR value_high_tco2 IS NULL OR value_low_tco2 <= value_high_tco2),
    last_import_id INTEGER NOT NULL REFERENCES imports (import_id)  -- provenance
);

CREATE TABLE published_figures (
    figure_id INTEGER PRIMARY KEY,   -- row order in aggregates.csv
    metric VARCHAR NOT NULL,
    value VARCHAR NOT NULL,
    unit VARCHAR,
    as_of_date VARCHAR,
    scope_note VARCHAR,
    value_basis VARCHAR,
    source_url VARCHAR NOT NULL,
    -- derived: the value as a number when it is one (">200" stays NULL), and the as-of date's
    -- first day when it reads as YYYY, YYYY-MM or YYYY-MM-DD (a leading "~" is dropped)
    value_numeric DOUBLE,
    as_of_day DATE,
    last_import_id INTEGER NOT NULL REFERENCES imports (import_id)  -- provenance
);

-- Article 6 context (data/article6/): the other countries buying Article 6.2 credits, beside the JCM.
-- One bilateral agreement or MoU per buyer and host (UNEP CCC Article 6 Pipeline).
CREATE TABLE article6_agreements (
    buyer_country VARCHAR NOT NULL,
    host_country VARCHAR NOT NULL,
    host_region VARCHAR NOT NULL,
    "date" DATE,
    status VARCHAR NOT NULL CHECK (status IN ('MoU', 'BA (signed)', 'Other')),
    title VARCHAR,
    associated_projects INTEGER CHECK (associated_projects >= 0),
    source_url VARCHAR NOT NULL,  -- an http(s) link, or the source's name where none is given
    retrieved_via VARCHAR,
    -- derived: ISO3 when the name is one country (jcm_dash.article6.iso3_of), for CLDR names
    buyer_iso3 VARCHAR,
    host_iso3 VARCHAR,
    PRIMARY KEY (buyer_country, host_country),
    last_import_id INTEGER NOT NULL REFERENCES imports (import_id)  -- provenance
);

-- A buyer's stated plan, contract, authorisation, transfer or issuance, with its unit and period as
-- stated. The values are of different kinds and stay text; only itmo_tco2 is comparable across buyers.
CREATE TABLE article6_buyer_facts (
    fact_id INTEGER PRIMARY KEY,   -- row order in buyers.csv
    buyer VARCHAR NOT NULL,
    host VARCHAR,
    metric VARCHAR NOT NULL CHECK (metric IN ('planned_use', 'expected_pipeline', 'contracted', 'authorized',
                                              'transferred', 'delivered_cumulative', 'issued')),
    value VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    period_or_date VARCHAR NOT NULL,
    scope_note VARCHAR,
    source_url VARCHAR NOT NULL,
    quote VARCHAR,
    retrieved_via VARCHAR,
    -- derived: the buyer's ISO3; the value as a number when it is plain digits; and the tonnes of
    -- ITMOs transferred or issued when the fact is that quantity (jcm_dash.article6.itmo_tco2)
    buyer_iso3 VARCHAR,
    value_numeric DOUBLE,
    itmo_tco2 DOUBLE CHECK (itmo_tco2 >= 0),
    UNIQUE (buyer, metric, period_or_date),
    last_import_id INTEGER NOT NULL REFERENCES imports (import_id)  -- provenance
);
