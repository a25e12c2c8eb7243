-- wave_regions (staging table): the regions each wave was sent to (issue #16): its area as
-- waves.csv gives it, else the regions its data has.
--   a list of region codes ('18;19'): those regions;
--   a named area made of regions (data/areas.csv): its regions that exist in the register of the
--     wave's classification year (Itä-Uusimaa, 20, only until 2010); all of them for a wave
--     without a classification year;
--   a wellbeing services county: the regions of its municipalities in that year's register;
--   blank: the regions of the wave's published table or of its answers.
create table wave_regions as
    with declared as (
        select wave_id, classification_year, fictional, nullif(trim(area), '') as area
        from waves
    ),

    listed as (
        select wave_id, unnest(string_split(area, ';')) as region_code
        from declared
        where regexp_full_match(area, '[0-9]{2}(;[0-9]{2})*')
    ),

    named as (
        select declared.wave_id, area_regions.region_code
        from declared
        inner join area_regions on area_regions.area_id = declared.area
        where declared.classification_year is null
           or area_regions.region_code in (
               select register.region_code
               from register_regions as register
               where register.year = declared.classification_year
                 and register.fictional = declared.fictional
           )
    ),

    county as (
        select declared.wave_id, register.region_code
        from declared
        inner join named_areas
            on named_areas.area_id = declared.area and named_areas.kind = 'wellbeing_county'
        inner join register_municipalities as register
            on register.year = declared.classification_year
           and register.fictional = declared.fictional
           and register.wellbeing_county_code = named_areas.wellbeing_county_code
    ),

    from_data as (
        select wave_id, region_code
        from published_region_status
        where wave_id in (select wave_id from declared where area is null)
        union
        select wave, region_code
        from responses
        where wave in (select wave_id from declared where area is null)
    ),

    every_kind as (
        select * from listed
        union all select * from named
        union all select * from county
        union all select * from from_data
    )

    select distinct wave_id, region_code from every_kind;
