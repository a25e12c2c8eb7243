-- themes_partners_by_municipality: the priority themes and partners of each municipality (its
-- chosen answer) of a response-level wave; NULL = not answered.
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
-- column theme_exclusion_alcohol: bool
-- column theme_home_leisure: bool
-- column theme_immigrants_racism: bool
-- column partner_vapepa: bool
-- column partner_red_cross: bool
-- column partner_immigrant_orgs: bool
-- column partner_sports_clubs: bool
-- column partner_village_committees: bool
-- column partner_joint_service_points: bool
-- column partner_private_security: bool
-- column partner_regional_council: bool
with chosen as (
    select
        municipality_name, municipality_code, region_code, region,
        theme_exclusion_alcohol, theme_home_leisure, theme_immigrants_racism,
        partner_vapepa, partner_red_cross, partner_immigrant_orgs, partner_sports_clubs,
        partner_village_committees, partner_joint_service_points, partner_private_security,
        partner_regional_council
    from chosen_in_selection($wave, $regions, $artu, $lang)
)

select * exclude (region_code)
from chosen
order by region_code, municipality_name, municipality_code
