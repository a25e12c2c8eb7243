-- yes_no_answers: every yes/no question of a response-level wave (approval, publication, ARTU,
-- the three priority themes, the partners) per selected region and in total: yes, no and
-- unanswered (never counted as no), over the municipalities' chosen answers.
-- level: response
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $artu: text, 'all', 'in_use' or 'not_in_use'
-- $lang: text, 'fi', 'sv' or 'en': the language of the region names
-- $total: boolean, whether the total rows are wanted (never for a view of one region: with_total)
-- $total_label: text, the total row's label with {area} for the view's area ("{area} yhteensä")
-- $regions_label: text, an area without a name, {regions} for its regions ("Valitut maakunnat ({regions})")
-- counting rule: yes_no
-- column region_code: code
-- column region: text
-- column item: label item.
-- column n: count, municipalities
-- column no: count, municipalities
-- column unanswered: count, municipalities
-- column municipalities: count, municipalities
with chosen as (
    select *
    from chosen_in_selection($wave, $regions, $artu, $lang)
),

long as (
    select region_code, region, item, answer
    from chosen
    unpivot include nulls (
        answer for item in (
            council_approved, published, artu_in_use,
            theme_exclusion_alcohol, theme_home_leisure, theme_immigrants_racism,
            partner_vapepa, partner_red_cross, partner_immigrant_orgs, partner_sports_clubs,
            partner_village_committees, partner_joint_service_points, partner_private_security,
            partner_regional_council
        )
    )
),

per_region as (
    select
        region_code,
        region,
        item,
        (count(*) filter (where answer))::integer as n,
        (count(*) filter (where not answer))::integer as no,
        (count(*) filter (where answer is null))::integer as unanswered,
        count(*)::integer as municipalities
    from long
    group by region_code, region, item
),

total as (
    select
        'total' as region_code,
        total_label($wave, $regions, $lang, $total_label, $regions_label) as region,
        item,
        known_total(n) as n,
        known_total(no) as no,
        known_total(unanswered) as unanswered,
        known_total(municipalities) as municipalities
    from per_region
    where with_total($total, $wave, $regions)
    group by item
),

combined as (
    select * from per_region
    union all
    select * from total
)

select * from combined
order by
    region_code = 'total',
    region_code,
    list_position(
        [
            'council_approved', 'published', 'artu_in_use',
            'theme_exclusion_alcohol', 'theme_home_leisure', 'theme_immigrants_racism',
            'partner_vapepa', 'partner_red_cross', 'partner_immigrant_orgs', 'partner_sports_clubs',
            'partner_village_committees', 'partner_joint_service_points', 'partner_private_security',
            'partner_regional_council'
        ],
        item
    )
