-- respondent_agreement: where more than one of municipality, police and rescue answered about one
-- municipality, each one's plan status and whether they agree; disagreements first.
-- level: response
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $artu: text, 'all', 'in_use' or 'not_in_use'
-- $lang: text, 'fi', 'sv' or 'en': the language of the region and municipality names
--   (municipality_names: the register's, Swedish in Swedish)
-- counting rule: municipal
-- column municipality_name: text
-- column municipality_code: code
-- column region: text
-- column municipality_status: label status.
-- column police_status: label status.
-- column rescue_status: label status.
-- column agree: bool
with chosen as (
    select municipality_code, municipality_name, region_code, region
    from chosen_in_selection($wave, $regions, $artu, $lang)
),

answers as (
    select municipality_code, respondent_type, plan_status
    from responses
    where wave = $wave
),

compared as (
    select
        chosen.municipality_name as municipality_name,
        chosen.municipality_code as municipality_code,
        chosen.region_code as region_code,
        chosen.region as region,
        any_value(answers.plan_status) filter (where answers.respondent_type = 'municipality')
            as municipality_status,
        any_value(answers.plan_status) filter (where answers.respondent_type = 'police')
            as police_status,
        any_value(answers.plan_status) filter (where answers.respondent_type = 'rescue')
            as rescue_status,
        count(distinct answers.plan_status) = 1 as agree,
        count(*) as answers
    from chosen
    inner join answers on answers.municipality_code = chosen.municipality_code
    group by all
    having count(*) > 1
)

select
    municipality_name, municipality_code, region, municipality_status, police_status, rescue_status, agree
from compared
order by agree, region_code, municipality_name, municipality_code
