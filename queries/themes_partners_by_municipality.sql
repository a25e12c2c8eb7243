-- themes_partners_by_municipality: the priority themes and partners of each municipality (its
-- chosen answer) of a response-level wave; NULL = not answered.
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $artu: text, 'all', 'in_use' or 'not_in_use'
-- $lang: text, 'fi', 'sv' or 'en': the language of the region names
with chosen as (
    select
        municipality_name, municipality_code, region_code, region,
        theme_exclusion_alcohol, theme_home_leisure, theme_immigrants_racism,
        partner_vapepa, partner_red_cross, partner_immigrant_orgs, partner_sports_clubs,
        partner_village_committees, partner_joint_service_points, partner_private_security,
        partner_regional_council
    from chosen_in_selection($wave, $regions, $artu, $lang)
)

select * from chosen
order by region_code, municipality_name, municipality_code
