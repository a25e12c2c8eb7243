-- _macros: helpers that the named queries share, created once when the database is loaded,
-- before the lock. Not a named query: files whose name starts with "_" cannot be run by name.

-- in_selection: true when code is one of regions, or when regions is empty ("empty list = all").
create macro in_selection(code, regions) as
    len(regions::varchar[]) = 0 or list_contains(regions::varchar[], code);

-- localised: the Finnish, Swedish or English text by language code; Finnish for anything else.
create macro localised(lang, fi, sv, en) as
    case lang when 'sv' then sv when 'en' then en else fi end;

-- named_regions: every region with its name in one language.
create macro named_regions(lang) as table
    select region_code, localised(lang, name_fi, name_sv, name_en) as region
    from regions;

-- artu_matches: the sidebar's ARTU filter ('all', 'in_use', 'not_in_use') on one answer. An
-- unanswered ARTU question matches only 'all': unknown is never "not in use".
create macro artu_matches(answer, filter) as
    filter = 'all' or (filter = 'in_use' and answer is true) or (filter = 'not_in_use' and answer is false);

-- waves: the waves described in waves.csv, and every response-level wave that has data but no row
-- there (its title, year and response rate are then unknown: NULL, shown as such).
create view waves as
    select
        wave_id, title_fi, title_sv, title_en, year, target_group, response_rate_percent, level,
        fictional, source
    from wave_metadata
    union all
    select
        wave as wave_id,
        null as title_fi,
        null as title_sv,
        null as title_en,
        case when regexp_matches(wave, '^(19|20)[0-9]{2}') then left(wave, 4)::integer end as year,
        'municipalities;police;rescue_services' as target_group,
        null as response_rate_percent,
        'response' as level,
        bool_or(fictional) as fictional,
        case when bool_or(fictional) then 'examples/' else 'responses/' end || wave || '.csv' as source
    from responses
    where wave not in (select wave_id from wave_metadata)
    group by wave;

-- chosen_answers: one answer per municipality and wave for the regional figures: the
-- municipality's own answer, else the rescue service's, else the police's (issue #3).
create view chosen_answers as
    select * exclude (answer_rank)
    from (
        select
            wave as wave_id,
            * exclude (wave),
            row_number() over (
                partition by wave, municipality_code
                order by list_position(['municipality', 'rescue', 'police'], respondent_type)
            ) as answer_rank
        from responses
    )
    where answer_rank = 1;

-- status_rows: the regional status table of one wave in one shape, whether the wave is a
-- published regional table or computed from responses (one answer per municipality; a yes/no
-- measure counts the yes answers (never NULL: count(*) filter, not count_if); "in progress" by scope counts started plans). The ARTU filter
-- narrows response-level waves; a published table has no municipalities to narrow, so it has
-- rows only for 'all'.
create macro status_rows(p_wave, p_artu) as table
    select
        wave_id, region_code, plan_ready, plan_started, plan_not_started, council_approved,
        published, artu_in_use, in_progress_municipal, in_progress_sub_regional,
        in_progress_province_wide
    from published_region_status
    where wave_id = p_wave and p_artu = 'all'
    union all
    select
        wave_id,
        region_code,
        (count(*) filter (where plan_status = 'ready'))::integer,
        (count(*) filter (where plan_status = 'started'))::integer,
        (count(*) filter (where plan_status = 'not_started'))::integer,
        (count(*) filter (where council_approved))::integer,
        (count(*) filter (where published))::integer,
        (count(*) filter (where artu_in_use))::integer,
        (count(*) filter (where plan_status = 'started' and plan_scope = 'municipal'))::integer,
        (count(*) filter (where plan_status = 'started' and plan_scope = 'sub_regional'))::integer,
        (count(*) filter (where plan_status = 'started' and plan_scope = 'province_wide'))::integer
    from chosen_answers
    where wave_id = p_wave and artu_matches(artu_in_use, p_artu)
    group by wave_id, region_code;

-- chosen_in_selection: the chosen answers of one wave for the selected regions, narrowed by the
-- ARTU filter: the municipalities every municipality view lists, with region names.
create macro chosen_in_selection(p_wave, p_regions, p_artu, p_lang) as table
    select chosen_answers.*, names.region as region
    from chosen_answers
    inner join named_regions(p_lang) as names on names.region_code = chosen_answers.region_code
    where chosen_answers.wave_id = p_wave
      and in_selection(chosen_answers.region_code, p_regions)
      and artu_matches(chosen_answers.artu_in_use, p_artu);
