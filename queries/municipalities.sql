-- municipalities: one row per municipality of a response-level wave (its chosen answer: own,
-- else rescue, else police), for the selected regions and ARTU filter.
-- level: response
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $artu: text, 'all', 'in_use' or 'not_in_use'
-- $lang: text, 'fi', 'sv' or 'en': the language of the region, municipality and sub-region names
--   (municipality_names: the register's, Swedish in Swedish)
-- counting rule: answers
-- column municipality_name: text
-- column municipality_code: code
-- column region: text
-- column sub_region: text
-- column respondent_type: label respondent.
-- column plan_status: label status.
-- column plan_year: code
-- column plan_scope: label scope.
-- column council_approved: bool
-- column published: bool
-- column artu_in_use: bool
with chosen as (
    select
        municipality_code,
        municipality_name,
        region_code,
        region,
        sub_region,
        respondent_type,
        plan_status,
        plan_year,
        plan_scope,
        council_approved,
        published,
        artu_in_use
    from chosen_in_selection($wave, $regions, $artu, $lang)
)

select
    municipality_name, municipality_code, region, sub_region, respondent_type, plan_status, plan_year, plan_scope,
    council_approved, published, artu_in_use
from chosen
order by region_code, municipality_name, municipality_code
