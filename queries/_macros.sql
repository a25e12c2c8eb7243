-- _macros: helpers that the named queries share, created once when the database is loaded,
-- after the staging tables (queries/staging/) and before the lock. Not a named query: files whose
-- name starts with "_" cannot be run by name.

-- in_selection: true when code is one of regions, or when regions is empty ("empty list = all").
create macro in_selection(code, regions) as
    len(regions::varchar[]) = 0 or list_contains(regions::varchar[], code);

-- localised: the Finnish, Swedish or English text by language code; Finnish for anything else.
create macro localised(lang, fi, sv, en) as
    case lang when 'sv' then sv when 'en' then en else fi end;

-- known_total: the total of a column over the rows of a group, unknown (NULL) where any part is
-- unknown or where there is no part at all. SQL's sum() would skip NULLs silently and show a
-- number that no source cell backs (issue #2). The one place this rule is written.
create macro known_total(x) as
    (case when count(*) > 0 and count(x) = count(*) then sum(x) end)::integer;

-- measure_order: the order of the plan measures in every table that lists them.
create macro measure_order(measure) as
    list_position(
        ['plan_ready', 'plan_started', 'plan_not_started', 'council_approved', 'published', 'artu_in_use'],
        measure
    );

-- named_regions: every region of Finland (2009–2026) with its name in one language; the list of
-- regions with data is the regions table (queries/staging/5_regions.sql).
create macro named_regions(lang) as table
    select region_code, localised(lang, name_fi, name_sv, name_en) as region
    from region_names;

-- view_regions: the regions a view of p_wave covers: the wave's regions (wave_regions) among the
-- selected ones (empty = all). Totals and the names of areas are over these, never over a region
-- the wave was not sent to.
create macro view_regions(p_wave, p_regions) as table
    select region_code
    from wave_regions
    where wave_id = p_wave and in_selection(region_code, p_regions);

-- with_total: whether a view of p_wave has total rows: when they are asked for (p_total) and the
-- view covers more than one region. The total of one region would only repeat that region's row
-- under another name in every table, chart and the pack (issue #21).
create macro with_total(p_total, p_wave, p_regions) as
    p_total and (select count(*) from view_regions(p_wave, p_regions)) > 1;

-- view_areas: the area a view of each wave covers (issue #16), one row per wave: wave_id, key and
-- name. The key says which area it is in any language (a named area's id, 'region:NN' for one
-- region, else the region codes), the name says it in p_lang:
--   the wave's own named area (data/areas.csv), when the view covers every region of the wave;
--   one region: that region's name;
--   a named area made of exactly these regions (those of the area that exist in the wave's
--     classification year) that is valid in the wave's year ("Itä-Suomi" for 10, 11, 12 in 2009
--     to 2025; in 2026, when the AVI areas were gone, those regions are listed by name);
--   any other set: p_regions_label with {regions} replaced by the regions' names in code order
--     ("Valitut maakunnat (Kainuu, Lappi)").
-- No area is named in SQL: the names come from areas.csv and regions.csv, the pattern from the UI
-- catalogue. What does not depend on the view (each wave's regions, the names it can have) is made
-- once at load (queries/staging/6_wave_coverage.sql, 7_view_area_names.sql). Set-based, so that a
-- list of every wave (the waves table, a trend) costs one pass and not one query per wave (issue
-- #22: 2,000 waves stored); view_area below is one wave of it.
create macro view_areas(p_regions, p_lang, p_regions_label) as table
    with covered as (
        select wave_id, list_filter(whole, lambda code: in_selection(code, p_regions)) as codes
        from wave_coverage
    ),

    chosen as (
        select
            covered.wave_id,
            first(names.key order by names.rank, names.key) as key,
            first(
                localised(p_lang, names.name_fi, names.name_sv, names.name_en)
                order by names.rank, names.key
            ) as name
        from covered
        inner join view_area_names as names
            on names.wave_id = covered.wave_id and names.codes = covered.codes
        group by covered.wave_id
    ),

    listed as (
        select
            covered.wave_id,
            coalesce(string_agg(names.region, ', ' order by names.region_code), '') as regions
        from covered
        left join named_regions(p_lang) as names on list_contains(covered.codes, names.region_code)
        group by covered.wave_id
    )

    select
        covered.wave_id,
        coalesce(chosen.key, array_to_string(covered.codes, ';')) as key,
        coalesce(chosen.name, replace(p_regions_label, '{regions}', listed.regions)) as name
    from covered
    left join chosen on chosen.wave_id = covered.wave_id
    left join listed on listed.wave_id = covered.wave_id;

-- view_area: the area a view of p_wave covers, as {key, name} (view_areas above, for one wave).
create macro view_area(p_wave, p_regions, p_lang, p_regions_label) as (
    select {'key': key, 'name': name}
    from view_areas(p_regions, p_lang, p_regions_label)
    where wave_id = p_wave
);

-- total_label: the label of the total row of a view of p_wave: p_total_label ("{area} yhteensä")
-- with the view's area (view_area) in place of {area}. Both patterns are bound parameters from the
-- UI catalogue; the area is decided here, next to the data.
create macro total_label(p_wave, p_regions, p_lang, p_total_label, p_regions_label) as
    replace(p_total_label, '{area}', view_area(p_wave, p_regions, p_lang, p_regions_label).name);

-- artu_matches: the sidebar's ARTU filter ('all', 'in_use', 'not_in_use') on one answer. An
-- unanswered ARTU question matches only 'all': unknown is never "not in use".
create macro artu_matches(answer, filter) as
    filter = 'all' or (filter = 'in_use' and answer is true) or (filter = 'not_in_use' and answer is false);

-- previous_wave: the newest real wave older than p_wave (queries/staging/6_previous_waves.sql);
-- NULL for a fictional wave, a wave without a year, the first one, or an unknown id.
create macro previous_wave(p_wave) as (
    select previous_wave_id from previous_waves where wave_id = p_wave
);

-- trend_waves_of: the waves of a trend through p_wave for the regions p_regions: every wave of the
-- same kind (real with real, fictional with fictional: issue #3) that has a year, each with its
-- unit ('responses' for a published regional table, 'municipalities' for a response-level wave:
-- one answer per municipality) and a segment number that grows by one wherever the unit changes
-- from the wave before, so a line or a change is never drawn across a change of unit (issue #7
-- item 6). The total of a view is over the area the view covers in each wave (view_area): its
-- area_segment grows also where that area changes, so a total never joins two areas (issue #16:
-- 2009's Itä-Suomi and a 2026 wave of Lappi and Kainuu). A region's own figures keep the unit's
-- segment: Etelä-Savo is Etelä-Savo in any wave. A wave without a year has no place on a time axis
-- and is not in it.
create macro trend_waves_of(p_wave, p_regions) as table
    with kind as (
        -- The wave is named by its alias: a macro's argument is substituted as written, and a bare
        -- wave_id would be read as view_area's own waves.wave_id.
        select
            trend_wave.wave_id,
            trend_wave.year,
            case trend_wave.level when 'region' then 'responses' else 'municipalities' end as unit,
            areas.key as area_key
        from waves as trend_wave
        inner join view_areas(p_regions, 'fi', '') as areas on areas.wave_id = trend_wave.wave_id
        where trend_wave.year is not null
          and trend_wave.fictional = (select fictional from waves where wave_id = p_wave)
    ),

    changes as (
        select
            *,
            coalesce(unit <> lag(unit) over ordered, false) as starts_segment,
            coalesce(
                unit <> lag(unit) over ordered or area_key <> lag(area_key) over ordered, false
            ) as starts_area_segment
        from kind
        window ordered as (order by year, wave_id)
    )

    select
        wave_id,
        year,
        unit,
        (sum(starts_segment::integer) over (order by year, wave_id) + 1)::integer as segment,
        area_key,
        (sum(starts_area_segment::integer) over (order by year, wave_id) + 1)::integer
            as area_segment
    from changes;

-- status_rows: the regional status table of one wave in one shape, whether the wave is a
-- published regional table or computed from responses (one answer per municipality; a yes/no
-- measure counts the yes answers (never NULL: count(*) filter, not count_if); "in progress" by
-- scope counts started plans). The ARTU filter narrows response-level waves; a published table
-- has no municipalities to narrow, so it has rows only for 'all'. answered is the region's base,
-- never narrowed by the ARTU filter: every response (published table) or every municipality with a
-- plan status (response-level wave).
create macro status_rows(p_wave, p_artu) as table
    select
        wave_id, region_code, plan_ready, plan_started, plan_not_started, council_approved,
        published, artu_in_use, in_progress_municipal, in_progress_sub_regional,
        in_progress_province_wide, plan_ready + plan_started + plan_not_started as answered
    from published_region_status
    where wave_id = p_wave and p_artu = 'all'
    union all
    select
        wave_id,
        region_code,
        (count(*) filter (where matches and plan_status = 'ready'))::integer,
        (count(*) filter (where matches and plan_status = 'started'))::integer,
        (count(*) filter (where matches and plan_status = 'not_started'))::integer,
        (count(*) filter (where matches and council_approved))::integer,
        (count(*) filter (where matches and published))::integer,
        (count(*) filter (where matches and artu_in_use))::integer,
        (count(*) filter (where matches and plan_status = 'started' and plan_scope = 'municipal'))::integer,
        (count(*) filter (where matches and plan_status = 'started' and plan_scope = 'sub_regional'))::integer,
        (count(*) filter (where matches and plan_status = 'started' and plan_scope = 'province_wide'))::integer,
        (count(*) filter (where plan_status in ('ready', 'started', 'not_started')))::integer
    from (
        select *, artu_matches(artu_in_use, p_artu) as matches
        from chosen_answers
        where wave_id = p_wave
    )
    -- Every region with answers in the wave keeps its row under the ARTU filter: one where no
    -- municipality matches shows 0, not nothing (issue #8).
    group by wave_id, region_code;

-- selected_status: status_rows of the selected regions, with their names in one language: the
-- first step of every regional table.
create macro selected_status(p_wave, p_regions, p_artu, p_lang) as table
    select status.*, names.region as region
    from status_rows(p_wave, p_artu) as status
    inner join named_regions(p_lang) as names on names.region_code = status.region_code
    where in_selection(status.region_code, p_regions);

-- measure_counts_of: each plan measure per selected region and in total, as n, N and the share
-- n / N as a fraction (0..1). N (responses) = plan ready + started + not started of that region in that
-- wave, before the ARTU filter: the filter narrows n only, so a share under it is "of all the
-- region's answers, how many use ARTU (or not) and are ready" and a region where no municipality
-- matches shows 0/N, not 0/0 (issue #8), on the same base as every other region. A total is
-- unknown where any region's part is (known_total); a share is unknown where n or N is. The total
-- row's region is blank: a query that shows that row names it with measure_shares_of below; the
-- map and the overview's change, which show only its figures, read this one. Naming the view's
-- area (view_areas) was 30-60 % of the time of every query that used it (issue #20 item 7).
create macro measure_counts_of(p_wave, p_regions, p_artu, p_lang) as table
    with per_region as (
        select
            region_code,
            region,
            answered as responses,
            plan_ready, plan_started, plan_not_started, council_approved, published, artu_in_use
        from selected_status(p_wave, p_regions, p_artu, p_lang)
    ),

    by_region as (
        select region_code, region, measure, n, responses
        from per_region
        unpivot include nulls (
            n for measure in (
                plan_ready, plan_started, plan_not_started, council_approved, published, artu_in_use
            )
        )
    ),

    totals as (
        select measure, known_total(n) as n, known_total(responses) as responses
        from by_region
        group by measure
    ),

    total as (
        select
            'total' as region_code,
            null::varchar as region,
            measure,
            n,
            responses
        from totals
    ),

    combined as (
        select * from by_region
        union all
        select * from total
    )

    select
        region_code,
        region,
        measure,
        n::integer as n,
        responses::integer as responses,
        case when responses > 0 then n::double / responses end as share
    from combined;

-- measure_shares_of: measure_counts_of with the total row named (total_label): shared by
-- measure_shares, key_figures, target_group, artu_adoption, trends and wave_change.
create macro measure_shares_of(p_wave, p_regions, p_artu, p_lang, p_total_label, p_regions_label) as table
    select
        region_code,
        case
            when region_code = 'total'
                then total_label(p_wave, p_regions, p_lang, p_total_label, p_regions_label)
            else region
        end as region,
        measure,
        n,
        responses,
        share
    from measure_counts_of(p_wave, p_regions, p_artu, p_lang);


-- register_name: a name from the municipality register in the UI language: the Swedish name in
-- Swedish, the Finnish one in Finnish; in English the Finnish one too (Statistics Finland's
-- register has no English names), except the fictional examples' names, which say "(esimerkki)"
-- and have their English in register_names_en ("Tarula (example)", issue #21); the Finnish one
-- where the Swedish is blank. Every query that names a municipality or a sub-region from the
-- register chooses the language here.
create macro register_name(p_lang, name_fi, name_sv) as
    case
        when p_lang = 'sv' then coalesce(nullif(name_sv, ''), nullif(name_fi, ''))
        when p_lang = 'en' then coalesce(
            (select names_en.english from register_names_en as names_en
             where names_en.finnish = name_fi),
            nullif(name_fi, '')
        )
        else nullif(name_fi, '')
    end;

-- municipality_names: the name and sub-region of every municipality that p_wave's answers name,
-- in one language (register_name): the register's of the wave's classification year, of the wave's
-- own kind (waves_register: the examples' fictional register for a fictional wave), so that every
-- municipality-level table names a municipality as the register-based pages (respondents,
-- municipality) do, not as the response file happens to write it. The response file's text (of
-- the municipality's chosen answer) where the register does not know it: a wave without a
-- classification year, a code not in the register, a sub-region blank in the register. Never blank
-- where either source has a name.
create macro municipality_names(p_wave, p_lang) as table
    select
        answers.municipality_code,
        coalesce(
            register_name(p_lang, register.name_fi, register.name_sv),
            answers.municipality_name
        ) as municipality_name,
        coalesce(
            register_name(p_lang, register.sub_region_fi, register.sub_region_sv),
            answers.sub_region
        ) as sub_region
    from chosen_answers as answers
    left join waves_register as register
        on register.wave_id = answers.wave_id and register.municipality_code = answers.municipality_code
    where answers.wave_id = p_wave;

-- municipality_subjects: the municipalities a wave's page can show, in the selected regions: the
-- municipalities of the wave's area in the register of its classification year, of the wave's own
-- kind (the examples' fictional register for a fictional wave, the real one for a real wave, never
-- the other): wave_municipalities for a response-level wave, the register's municipalities of its
-- regions for a published regional table; for a wave without a classification year, the
-- municipalities its answers name.
create macro municipality_subjects(p_wave, p_regions, p_lang) as table
    with listed as (
        select
            expected.municipality_code,
            register_name(p_lang, expected.name_fi, expected.name_sv) as municipality_name,
            expected.region_code
        from wave_municipalities as expected
        where expected.wave_id = p_wave
        union all
        select
            register.municipality_code,
            register_name(p_lang, register.name_fi, register.name_sv),
            register.region_code
        from waves_register as register
        where register.wave_id = p_wave
          and (select level from waves where wave_id = p_wave) = 'region'
          and register.region_code in (select region_code from view_regions(p_wave, []::varchar[]))
        union all
        select municipality_code, municipality_name, region_code
        from chosen_answers
        where wave_id = p_wave
          and (select classification_year from waves where wave_id = p_wave) is null
    )

    select listed.*
    from listed
    where in_selection(listed.region_code, p_regions);

-- municipality_followed: for each subject of p_wave (or the one p_code names), every wave of the same kind (real with
-- real, fictional with fictional) and the municipality codes that wave's answers use for it,
-- following the mergers (waves_crosswalk): a municipality that merged later is followed back to
-- its predecessors, each under its own name in that wave's register, and forward to its
-- successor. followed says what a wave can tell about it: 'responses' (answers per municipality),
-- 'regional_table' (a published regional table: no municipality answers) or 'no_register' (the
-- codes of the wave or of p_wave follow no register year, so they cannot be matched).
create macro municipality_followed(p_wave, p_regions, p_lang, p_code) as table
    with chosen_wave as (
        select classification_year as year, fictional from waves where wave_id = p_wave
    ),

    -- One municipality (p_code) or all (''): the page asks for one, so that its path across
    -- 2,000 stored waves is 2,000 rows and not 2,000 for each municipality (issue #22).
    subjects as (
        select * from municipality_subjects(p_wave, p_regions, p_lang)
        where p_code = '' or municipality_code = p_code
    ),

    kind as (
        select waves.wave_id, waves.year, waves.classification_year, waves.level,
            case
                when waves.level = 'region' then 'regional_table'
                when waves.wave_id = p_wave then 'responses'
                when waves.classification_year is null
                    or (select year from chosen_wave) is null then 'no_register'
                else 'responses'
            end as followed
        from waves
        where waves.fictional = (select fictional from chosen_wave)
    ),

    codes as (
        -- the chosen wave itself: its own codes
        select subjects.municipality_code, kind.wave_id, subjects.municipality_code as answer_code,
            subjects.municipality_name as answer_name
        from subjects
        inner join kind on kind.wave_id = p_wave and kind.followed = 'responses'
        union all
        -- an earlier or same-year register: its codes that lead to the subject
        select subjects.municipality_code, kind.wave_id, walk.from_code,
            register_name(p_lang, register.name_fi, register.name_sv)
        from subjects
        cross join chosen_wave
        inner join kind on kind.wave_id <> p_wave and kind.followed = 'responses'
        inner join waves_crosswalk as walk
            on walk.fictional = chosen_wave.fictional
           and walk.from_year = kind.classification_year
           and walk.to_year = chosen_wave.year
           and walk.to_code = subjects.municipality_code
        inner join register_municipalities as register
            on register.fictional = walk.fictional
           and register.year = walk.from_year
           and register.municipality_code = walk.from_code
        where kind.classification_year <= chosen_wave.year
        union all
        -- a later register: the subject's successor there
        select subjects.municipality_code, kind.wave_id, walk.to_code,
            register_name(p_lang, register.name_fi, register.name_sv)
        from subjects
        cross join chosen_wave
        inner join kind on kind.wave_id <> p_wave and kind.followed = 'responses'
        inner join waves_crosswalk as walk
            on walk.fictional = chosen_wave.fictional
           and walk.from_year = chosen_wave.year
           and walk.to_year = kind.classification_year
           and walk.from_code = subjects.municipality_code
        inner join register_municipalities as register
            on register.fictional = walk.fictional
           and register.year = walk.to_year
           and register.municipality_code = walk.to_code
        where kind.classification_year > chosen_wave.year
        union all
        -- a wave that cannot tell: one row without a code
        select subjects.municipality_code, kind.wave_id, null, null
        from subjects
        inner join kind on kind.followed <> 'responses'
    )

    select
        codes.municipality_code,
        codes.wave_id,
        kind.year,
        kind.followed,
        codes.answer_code,
        codes.answer_name
    from codes
    inner join kind on kind.wave_id = codes.wave_id;

-- chosen_in_selection: the chosen answers of one wave for the selected regions, narrowed by the
-- ARTU filter: the municipalities every municipality view lists, with region names and with the
-- municipality and sub-region named by municipality_names (the register's, in p_lang).
create macro chosen_in_selection(p_wave, p_regions, p_artu, p_lang) as table
    select
        chosen_answers.* replace (
            named.municipality_name as municipality_name,
            named.sub_region as sub_region
        ),
        names.region as region
    from chosen_answers
    inner join named_regions(p_lang) as names on names.region_code = chosen_answers.region_code
    inner join municipality_names(p_wave, p_lang) as named
        on named.municipality_code = chosen_answers.municipality_code
    where chosen_answers.wave_id = p_wave
      and in_selection(chosen_answers.region_code, p_regions)
      and artu_matches(chosen_answers.artu_in_use, p_artu);

-- answered_by_type: every municipality of one wave with an answer, per respondent type
-- ('municipality', 'police', 'rescue'), and once more as 'any' (an answer of any type): the
-- answers that the respondents and non_respondents tables hold the wave's register against.
create macro answered_by_type(p_wave) as table
    select distinct municipality_code, respondent_type
    from responses
    where wave = p_wave
    union
    select distinct municipality_code, 'any' as respondent_type
    from responses
    where wave = p_wave;

-- coverage_of: each municipality of p_wave's area in the selected regions with its best coverage
-- by a ready plan and the municipality whose answer reported that plan (the rule is plan_coverage's
-- header). Shared by plan_coverage and map_municipalities (issue #18).
create macro coverage_of(p_wave, p_regions, p_artu, p_lang) as table
    with answering as (
        select municipality_code, municipality_name, region_code, region, true as answered
        from chosen_in_selection(p_wave, p_regions, p_artu, p_lang)
    ),

    silent as (
        select
            expected.municipality_code,
            register_name(p_lang, expected.name_fi, expected.name_sv) as municipality_name,
            expected.region_code,
            names.region,
            false as answered
        from wave_municipalities as expected
        inner join named_regions(p_lang) as names on names.region_code = expected.region_code
        where expected.wave_id = p_wave
          and p_artu = 'all'
          and in_selection(expected.region_code, p_regions)
          and expected.municipality_code not in (
              select municipality_code from chosen_answers where wave_id = p_wave
          )
    ),

    chosen as (
        select * from answering
        union all
        select * from silent
    ),

    answers as (
        select
            responses.municipality_code,
            responses.region_code,
            responses.plan_status,
            responses.plan_scope,
            coalesce(
                'register:' || register.sub_region_code,
                case
                    when trim(coalesce(responses.sub_region, '')) <> ''
                        then 'answer:' || responses.region_code || ':'
                            || lower(regexp_replace(trim(responses.sub_region), '\s+', ' ', 'g'))
                end
            ) as sub_region_key
        from responses
        left join waves_register as register
            on register.wave_id = responses.wave
           and register.municipality_code = responses.municipality_code
        where responses.wave = p_wave
    ),

    members as (
        select distinct municipality_code, sub_region_key
        from answers
        where sub_region_key is not null
        union
        -- a municipality nobody answered about lies in its register's sub-region
        select municipality_code, 'register:' || sub_region_code
        from wave_municipalities
        where wave_id = p_wave and sub_region_code is not null
    ),

    plans as (
        select distinct
            answers.municipality_code as plan_code,
            named.municipality_name as plan_name,
            answers.region_code,
            answers.plan_scope,
            answers.sub_region_key
        from answers
        inner join municipality_names(p_wave, p_lang) as named
            on named.municipality_code = answers.municipality_code
        where answers.plan_status = 'ready'
    ),

    reached as (
        select chosen.municipality_code, 1 as rank, plans.plan_code, plans.plan_name
        from chosen
        inner join plans
            on plans.plan_code = chosen.municipality_code and plans.plan_scope = 'municipal'
        union all
        select chosen.municipality_code, 2 as rank, plans.plan_code, plans.plan_name
        from chosen
        inner join plans on plans.plan_scope = 'sub_regional'
        where plans.plan_code = chosen.municipality_code
           or exists (
               select 1
               from members
               where members.municipality_code = chosen.municipality_code
                 and members.sub_region_key = plans.sub_region_key
           )
        union all
        select chosen.municipality_code, 3 as rank, plans.plan_code, plans.plan_name
        from chosen
        inner join plans
            on plans.plan_scope = 'province_wide' and plans.region_code = chosen.region_code
    ),

    best as (
        select municipality_code, rank, plan_code, plan_name
        from (
            select
                *,
                row_number() over (
                    partition by reached.municipality_code
                    order by rank, plan_code <> reached.municipality_code, plan_code
                ) as choice
            from reached
        )
        where choice = 1
    ),

    covered as (
        select
            chosen.municipality_name as municipality_name,
            chosen.municipality_code as municipality_code,
            chosen.region_code as region_code,
            chosen.region as region,
            coalesce(
                ['own', 'sub_regional', 'province_wide'][best.rank],
                case when chosen.answered then 'none' else 'not_answered' end
            ) as coverage,
            best.plan_code as covered_by_code,
            best.plan_name as covered_by
        from chosen
        left join best on best.municipality_code = chosen.municipality_code
    )

    select * from covered;
