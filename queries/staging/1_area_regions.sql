-- area_regions (staging table): the regions of each named area of data/areas.csv that is made of
-- regions (a country, an AVI area): one row per area and region code. A wellbeing services county
-- is made of municipalities (its code in the register), so it has no rows here (issue #16).
create table area_regions as
    select area_id, unnest(string_split(regions, ';')) as region_code
    from named_areas
    where kind <> 'wellbeing_county';
