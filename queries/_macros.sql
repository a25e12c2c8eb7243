-- _macros: helpers that the named queries share, created once when the database is loaded,
-- after the staging views (queries/staging/) and before the lock. Not a named query: files whose
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

-- total_label: the label of a total row: p_all ("Itä-Suomi yhteensä") when the selection holds
-- every region (or is empty, "all"), else p_selected ("Valitut maakunnat yhteensä"). Both texts are
-- bound parameters from the UI catalogue; which one applies is decided here, next to the data.
create macro total_label(p_regions, p_all, p_selected) as
    case
        when (select coalesce(bool_and(in_selection(region_code, p_regions)), true) from regions)
            then p_all
        else p_selected
    end::varchar;

-- measure_order: the order of the plan measures in every table that lists them.
create macro measure_order(measure) as
    list_position(
        ['plan_ready', 'plan_started', 'plan_not_started', 'council_approved', 'published', 'artu_in_use'],
        measure
    );

-- named_regions: every region of Finland (2009–2026) with its name in one language; the list of
-- regions with data is the regions view (queries/staging/regions.sql).
create macro named_regions(lang) as table
    select region_code, localised(lang, name_fi, name_sv, name_en) as region
    from region_names;

-- artu_matches: the sidebar's ARTU filter ('all', 'in_use', 'not_in_use') on one answer. An
-- unanswered ARTU question matches only 'all': unknown is never "not in use".
create macro artu_matches(answer, filter) as
    filter = 'all' or (filter = 'in_use' and answer is true) or (filter = 'not_in_use' and answer is false);

-- previous_wave: the newest real wave older than p_wave; NULL for a fictional wave, a wave
-- without a year, or the first one. A fictional wave is never compared with real ones (issue #3).
create macro previous_wave(p_wave) as (
    select older.wave_id
    from waves as older
    where not older.fictional
      and older.year < (select year from waves where wave_id = p_wave and not fictional)
    order by older.year desc, older.wave_id
    limit 1
);

-- trend_waves_of: the waves of a trend through p_wave: every wave of the same kind (real with real,
-- fictional with fictional: issue #3) that has a year, each with its unit ('responses' for a
-- published regional table, 'municipalities' for a response-level wave: one answer per
-- municipality) and a segment number that grows by one wherever the unit changes from the wave
-- before, so a line or a change is never drawn across a change of unit (issue #7 item 6). A wave
-- without a year has no place on a time axis and is not in it.
create macro trend_waves_of(p_wave) as table
    with kind as (
        select wave_id, year, case level when 'region' then 'responses' else 'municipalities' end as unit
        from waves
        where year is not null and fictional = (select fictional from waves where wave_id = p_wave)
    ),

    changes as (
        select *, coalesce(unit <> lag(unit) over (order by year, wave_id), false) as starts_segment
        from kind
    )

    select
        wave_id,
        year,
        unit,
        (sum(starts_segment::integer) over (order by year, wave_id) + 1)::integer as segment
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

-- measure_shares_of: each plan measure per selected region and in total, as n, N and the share
-- n / N in per cent. N (responses) = plan ready + started + not started of that region in that
-- wave, before the ARTU filter: the filter narrows n only, so a share under it is "of all the
-- region's answers, how many use ARTU (or not) and are ready" and a region where no municipality
-- matches shows 0/N, not 0/0 (issue #8), on the same base as every other region. A total is
-- unknown where any region's part is (known_total); a share is unknown where n or N is. Shared
-- by measure_shares, key_figures, target_group, artu_adoption and wave_change.
create macro measure_shares_of(p_wave, p_regions, p_artu, p_lang, p_total_all, p_total_selected) as table
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
            total_label(p_regions, p_total_all, p_total_selected) as region,
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
        case when responses > 0 then n / responses * 100 end as share_percent
    from combined;


-- register_name: a name from the municipality register in the UI language: the Swedish name in
-- Swedish, the Finnish one in Finnish and English (the register has no English names); the
-- Finnish one where the Swedish is blank. Every query that names a municipality or a sub-region
-- from the register chooses the language here.
create macro register_name(p_lang, name_fi, name_sv) as
    case
        when p_lang = 'sv' then coalesce(nullif(name_sv, ''), nullif(name_fi, ''))
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

-- municipality_subjects: the municipalities a wave's page can show, in the selected regions among
-- those the app lists: the register of the wave's classification year, of the wave's own kind
-- (the examples' fictional register for a fictional wave, the real one for a real wave, never
-- the other); for a wave without a classification year, the municipalities its answers name.
create macro municipality_subjects(p_wave, p_regions, p_lang) as table
    with wave as (
        select classification_year, fictional from waves where wave_id = p_wave
    ),

    listed as (
        select
            register.municipality_code,
            register_name(p_lang, register.name_fi, register.name_sv) as municipality_name,
            register.region_code
        from register_municipalities as register
        inner join wave
            on register.year = wave.classification_year and register.fictional = wave.fictional
        union all
        select municipality_code, municipality_name, region_code
        from chosen_answers
        where wave_id = p_wave and (select classification_year from wave) is null
    )

    select listed.*
    from listed
    where in_selection(listed.region_code, p_regions)
      and listed.region_code in (select region_code from regions);

-- municipality_followed: for each subject of p_wave, every wave of the same kind (real with
-- real, fictional with fictional) and the municipality codes that wave's answers use for it,
-- following the mergers (waves_crosswalk): a municipality that merged later is followed back to
-- its predecessors, each under its own name in that wave's register, and forward to its
-- successor. followed says what a wave can tell about it: 'responses' (answers per municipality),
-- 'regional_table' (a published regional table: no municipality answers) or 'no_register' (the
-- codes of the wave or of p_wave follow no register year, so they cannot be matched).
create macro municipality_followed(p_wave, p_regions, p_lang) as table
    with chosen_wave as (
        select classification_year as year, fictional from waves where wave_id = p_wave
    ),

    subjects as (
        select * from municipality_subjects(p_wave, p_regions, p_lang)
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
