-- regions: every region with its name in one language, ordered by code.
-- $lang: text, 'fi', 'sv' or 'en'
with named as (
    select
        region_code,
        case $lang when 'sv' then name_sv when 'en' then name_en else name_fi end as region
    from regions
)

select * from named
order by region_code
