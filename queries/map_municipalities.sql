-- map_municipalities: the map (issue #18): every municipality of the selected regions in the
-- register of the wave's classification year, once for each measure the map can colour by, with
-- what it is coloured by. A municipality outside the wave's area (a wellbeing services county's
-- wave leaves part of a region out) is 'not_in_area' under every measure. measure_text names a
-- question of the questionnaire (the catalogue names the core measures).
--   A response-level wave: value is the category of the municipality's chosen answer (own, else
--   rescue, else police): plan_status ready / started / not_started; coverage as plan_coverage
--   (own / sub_regional / province_wide / none / not_answered); answered true / false; approval,
--   publication, ARTU and the questionnaire's other yes/no questions true / false; its other
--   one-choice questions the choice id (value_text its text). 'unknown' (".."): asked and left
--   blank; 'not_asked': the question did not apply to the answer (applies_when); 'not_answered':
--   nobody answered about the municipality; 'filtered_out': its answer does not match the ARTU
--   filter. n, responses and share are blank: one municipality's answer is no share.
--   A published regional table (2009): no municipality answered; every municipality carries its
--   region's figure for each plan measure (n of N and the share, as measure_shares), value blank.
-- A wave without a classification year has the municipalities its answers name (the map draws
-- them as tiles: they cannot be placed on any year's borders).
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $artu: text, 'all', 'in_use' or 'not_in_use'
-- $lang: text, 'fi', 'sv' or 'en': the language of the names and choice texts
-- first on the page: municipality_name, value_text
-- counting rule: shares
-- column region_code: code
-- column region: text
-- column municipality_code: code
-- column municipality_name: text
-- column classification_year: code
-- column fictional: bool
-- column wave_id: code
-- column measure: code
-- column measure_text: text
-- column value: code
-- column value_text: text
-- column n: count, responses
-- column responses: count, responses
-- column share: share, of n/responses
with wave as (
    select level, classification_year, fictional, questionnaire
    from waves
    where wave_id = $wave
),

in_area as (
    select municipality_code
    from municipality_subjects($wave, $regions, $lang)
),

drawn as (
    select
        register.municipality_code,
        register_name($lang, register.name_fi, register.name_sv) as municipality_name,
        register.region_code,
        names.region,
        register.municipality_code in (select municipality_code from in_area) as in_area
    from waves_register as register
    inner join named_regions($lang) as names on names.region_code = register.region_code
    where register.wave_id = $wave
      and register.region_code in (select region_code from view_regions($wave, $regions))
    union all
    -- A wave without a classification year: the municipalities its answers name (drawn as tiles)
    select subjects.municipality_code, subjects.municipality_name, subjects.region_code,
        names.region, true as in_area
    from municipality_subjects($wave, $regions, $lang) as subjects
    inner join named_regions($lang) as names on names.region_code = subjects.region_code
    where (select classification_year from wave) is null
),

measures as (
    select measure, position
    from (
        values
            ('plan_status', 1), ('coverage', 2), ('answered', 3), ('council_approved', 4),
            ('published', 5), ('artu_in_use', 6)
    ) as core (measure, position)
    where (select level from wave) = 'response'
    union all
    select question_id, 100 + position
    from questions
    where questionnaire_id = (select questionnaire from wave)
      and (select level from wave) = 'response'
      and not core
      and type in ('one_choice', 'yes_no')
    union all
    select measure, measure_order(measure)
    from (
        values
            ('plan_ready'), ('plan_started'), ('plan_not_started'), ('council_approved'),
            ('published'), ('artu_in_use')
    ) as regional (measure)
    where (select level from wave) = 'region'
),

chosen as (
    select *
    from chosen_answers
    where wave_id = $wave
),

covered as (
    select municipality_code, coverage
    from coverage_of($wave, $regions, $artu, $lang)
),

given as (
    select answers.municipality_code, answers.question_id, answers.value, answers.asked
    from answers
    inner join chosen
        on chosen.municipality_code = answers.municipality_code
       and chosen.respondent_type = answers.respondent_type
    where answers.wave = $wave
),

region_shares as (
    select region_code, measure, n, responses, share
    from measure_counts_of($wave, $regions, $artu, $lang)
    where region_code <> 'total'
),

-- A yes/no core measure: its answer, else "not asked" where the plan was not started (approval
-- and publication apply to ready and started plans only), else unknown.
valued as (
    select
        drawn.*,
        measures.measure,
        measures.position,
        case
            when (select level from wave) = 'region' then null
            when not drawn.in_area then 'not_in_area'
            when measures.measure = 'coverage' then coalesce(covered.coverage, 'filtered_out')
            when chosen.municipality_code is null and measures.measure = 'answered' then
                case when $artu = 'all' then 'false' else 'filtered_out' end
            when chosen.municipality_code is null then
                case when $artu = 'all' then 'not_answered' else 'filtered_out' end
            when not artu_matches(chosen.artu_in_use, $artu) then 'filtered_out'
            when measures.measure = 'answered' then 'true'
            when measures.measure = 'plan_status' then coalesce(chosen.plan_status, 'unknown')
            when measures.measure = 'artu_in_use' then
                coalesce(chosen.artu_in_use::varchar, 'unknown')
            when measures.measure in ('council_approved', 'published') then
                coalesce(
                    (case measures.measure
                        when 'council_approved' then chosen.council_approved
                        else chosen.published
                    end)::varchar,
                    case when chosen.plan_status = 'not_started' then 'not_asked' else 'unknown' end
                )
            when given.question_id is null or not given.asked then 'not_asked'
            else coalesce(given.value, 'unknown')
        end as value,
        shares.n,
        shares.responses,
        shares.share
    from drawn
    cross join measures
    left join chosen on chosen.municipality_code = drawn.municipality_code
    left join covered on covered.municipality_code = drawn.municipality_code
    left join given
        on given.municipality_code = drawn.municipality_code
       and given.question_id = measures.measure
    left join region_shares as shares
        on shares.region_code = drawn.region_code and shares.measure = measures.measure
)

select
    valued.region_code,
    valued.region,
    valued.municipality_code,
    valued.municipality_name,
    (select classification_year from wave)::varchar as classification_year,
    (select fictional from wave) as fictional,
    $wave as wave_id,
    valued.measure,
    localised($lang, asked.label_fi, asked.label_sv, asked.label_en) as measure_text,
    valued.value,
    localised($lang, offered.text_fi, offered.text_sv, offered.text_en) as value_text,
    valued.n::integer as n,
    valued.responses::integer as responses,
    valued.share
from valued
left join questions as asked
    on asked.questionnaire_id = (select questionnaire from wave)
   and asked.question_id = valued.measure
   and not asked.core
left join question_choices as offered
    on offered.questionnaire_id = (select questionnaire from wave)
   and offered.question_id = valued.measure
   and offered.choice_id = valued.value
order by valued.position, valued.region_code, valued.municipality_name, valued.municipality_code
