-- plan_coverage: each municipality's best coverage by a ready plan, over every answer about it:
-- its own plan, else a sub-regional one, else a province-wide one, else none.
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $artu: text, 'all', 'in_use' or 'not_in_use'
-- $lang: text, 'fi', 'sv' or 'en': the language of the region names
-- column municipality_name: text
-- column municipality_code: code
-- column region: text
-- column coverage: label coverage.
with chosen as (
    select municipality_code, municipality_name, region_code, region
    from chosen_in_selection($wave, $regions, $artu, $lang)
),

ready as (
    select
        municipality_code,
        min(list_position(['municipal', 'sub_regional', 'province_wide'], plan_scope)) as best
    from responses
    where wave = $wave and plan_status = 'ready'
    group by municipality_code
),

covered as (
    select
        chosen.municipality_name as municipality_name,
        chosen.municipality_code as municipality_code,
        chosen.region_code as region_code,
        chosen.region as region,
        coalesce(['own', 'sub_regional', 'province_wide'][ready.best], 'none') as coverage
    from chosen
    left join ready on ready.municipality_code = chosen.municipality_code
)

select municipality_name, municipality_code, region, coverage
from covered
order by region_code, municipality_name, municipality_code
