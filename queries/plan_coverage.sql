-- plan_coverage: each municipality's best coverage by a ready plan, following the plan's scope
-- (issue #7 item 5), and which municipality's answer reported the plan that covers it:
--   own: a ready municipal plan in an answer about the municipality itself;
--   sub_regional: a ready sub-regional plan reported in its sub-region. The sub-region of a
--     municipality is the register's (of the wave's classification year) where known, else the
--     sub_region text of its answers (same region, case and spaces ignored); a plan reported about
--     a municipality lies in that municipality's sub-region. A sub-regional plan about the
--     municipality itself covers it even when no sub-region is known;
--   province_wide: a ready province-wide plan reported about any municipality of its region;
--   none: no ready plan reaches it. Unknown sub-regions (blank in the register and the answers)
--   join nothing: a blank is never a sub-region of its own;
--   not_answered: a municipality of the wave's area that nobody answered about and no wider plan
--   reaches (issue #16): its own plan is unknown, never "none". A province-wide plan covers every
--   municipality of its region and a sub-regional one every municipality of its sub-region in the
--   register, also those that did not answer. Under an ARTU filter only answering municipalities
--   are listed (one without an answer has no ARTU answer to filter by).
-- level: response
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $artu: text, 'all', 'in_use' or 'not_in_use'
-- $lang: text, 'fi', 'sv' or 'en': the language of the region and municipality names
--   (municipality_names: the register's, Swedish in Swedish)
-- column municipality_name: text
-- column municipality_code: code
-- column region: text
-- column coverage: label coverage.
-- column covered_by_code: code
-- column covered_by: text
with answering as (
    select municipality_code, municipality_name, region_code, region, true as answered
    from chosen_in_selection($wave, $regions, $artu, $lang)
),

silent as (
    select
        expected.municipality_code,
        register_name($lang, expected.name_fi, expected.name_sv) as municipality_name,
        expected.region_code,
        names.region,
        false as answered
    from wave_municipalities as expected
    inner join named_regions($lang) as names on names.region_code = expected.region_code
    where expected.wave_id = $wave
      and $artu = 'all'
      and in_selection(expected.region_code, $regions)
      and expected.municipality_code not in (
          select municipality_code from chosen_answers where wave_id = $wave
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
    where responses.wave = $wave
),

members as (
    select distinct municipality_code, sub_region_key
    from answers
    where sub_region_key is not null
    union
    -- a municipality nobody answered about lies in its register's sub-region
    select municipality_code, 'register:' || sub_region_code
    from wave_municipalities
    where wave_id = $wave and sub_region_code is not null
),

plans as (
    select distinct
        answers.municipality_code as plan_code,
        named.municipality_name as plan_name,
        answers.region_code,
        answers.plan_scope,
        answers.sub_region_key
    from answers
    inner join municipality_names($wave, $lang) as named
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

select municipality_name, municipality_code, region, coverage, covered_by_code, covered_by
from covered
order by region_code, municipality_name, municipality_code
