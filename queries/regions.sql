-- regions: every region that a wave has data for, with its name in one language, ordered by code.
-- $lang: text, 'fi', 'sv' or 'en'
-- counting rule: listing
-- column region_code: code
-- column region: text
with named as (
    select region_code, region
    from named_regions($lang)
    where region_code in (select region_code from regions)
)

select * from named
order by region_code
