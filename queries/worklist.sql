-- worklist: the municipalities to invite to the workshops (kohdekunnat), each with its reasons:
-- plan not started; plan from before $before_year ("from around the turn of the millennium,
-- never updated"); a plan that is not approved by the council; not published (answered "no");
-- and the workshop of its region that the wave's invitations are for (workshops.csv; unknown where
-- the wave has no workshop calendar, issue #21).
-- level: response
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $artu: text, 'all', 'in_use' or 'not_in_use'
-- $lang: text, 'fi', 'sv' or 'en': the language of the region, municipality and sub-region names
--   (municipality_names: the register's, Swedish in Swedish)
-- $before_year: integer, plans from before this year count as old
-- first on the page: municipality_name, reasons, workshop_date
-- counting rule: municipal
-- column municipality_name: text
-- column municipality_code: code
-- column region: text
-- column sub_region: text
-- column answered_by: labels respondent.
-- column plan_year: code
-- column reasons: labels reason.
-- column workshop_date: date
with chosen as (
    select *
    from chosen_in_selection($wave, $regions, $artu, $lang)
),

answered as (
    select
        municipality_code,
        string_agg(
            respondent_type, ';'
            order by list_position(['municipality', 'rescue', 'police'], respondent_type)
        ) as answered_by
    from responses
    where wave = $wave
    group by municipality_code
),

reasons as (
    select
        chosen.*,
        answered.answered_by as answered_by,
        list_filter(
            [
                case when plan_status = 'not_started' then 'not_started' end,
                case when plan_year < $before_year::integer then 'plan_older' end,
                case when plan_status <> 'not_started' and council_approved is false
                    then 'not_approved' end,
                case when plan_status <> 'not_started' and published is false
                    then 'not_published' end
            ],
            lambda reason: reason is not null
        ) as reason_list
    from chosen
    inner join answered on answered.municipality_code = chosen.municipality_code
),

listed as (
    select
        municipality_name,
        municipality_code,
        region_code,
        region,
        sub_region,
        answered_by,
        plan_year,
        array_to_string(reason_list, ';') as reasons
    from reasons
    where len(reason_list) > 0
)

select
    listed.municipality_name,
    listed.municipality_code,
    listed.region,
    listed.sub_region,
    listed.answered_by,
    listed.plan_year,
    listed.reasons,
    workshops.workshop_date
from listed
left join workshops
    on workshops.wave_id = $wave
   and workshops.region_code = listed.region_code
order by listed.region_code, listed.municipality_name, listed.municipality_code
