-- regions: every region with its name in one language, ordered by code.
-- $lang: text, 'fi', 'sv' or 'en'
-- column region_code: code
-- column region: text
with named as (
    select region_code, region
    from named_regions($lang)
)

select * from named
order by region_code
