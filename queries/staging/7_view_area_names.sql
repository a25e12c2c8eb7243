-- view_area_names (staging table): every name a view of a wave can have (issue #16), with the
-- regions it stands for (codes, sorted) and its rank; view_areas (queries/_macros.sql) takes, for
-- the regions a view covers, the name whose codes are exactly those, the lowest rank first:
--   0: the wave's own named area (data/areas.csv), for a view of every region of the wave;
--   1: one region, by its name;
--   2: a named area made of regions that is valid in the wave's year, with the regions of it that
--      exist in the register of the wave's classification year (all of them for a wave without
--      one): "Itä-Suomi" for 10, 11, 12 in 2009 to 2025; in 2026, when the AVI areas were gone,
--      no such name, and the regions are listed by name. Only a set of two or more regions.
-- None of it depends on the view: made once at load, so that a query naming its area does not
-- plan these joins again (they were half the time of a table with a total row, issue #20 item 7).
create table view_area_names as
    with covered as (
        select
            waves.wave_id,
            waves.year,
            waves.classification_year,
            waves.fictional,
            nullif(trim(waves.area), '') as area,
            coverage.whole
        from waves
        inner join wave_coverage as coverage on coverage.wave_id = waves.wave_id
    ),

    -- Each named area's regions that exist in a classification year, once per year and kind of
    -- register, not once per wave.
    registers as (
        select distinct classification_year, fictional from covered
    ),

    named_sets as (
        select
            registers.classification_year,
            registers.fictional,
            area_regions.area_id,
            list_sort(list(area_regions.region_code)) as codes
        from registers
        cross join area_regions
        left join register_regions as register
            on register.year = registers.classification_year
           and register.fictional = registers.fictional
           and register.region_code = area_regions.region_code
        where registers.classification_year is null or register.region_code is not null
        group by all
    ),

    sent as (
        select wave_id, unnest(whole) as region_code from covered
    )

    select covered.wave_id, 0 as rank, covered.whole as codes, named_areas.area_id as key,
        named_areas.name_fi, named_areas.name_sv, named_areas.name_en
    from covered
    inner join named_areas on named_areas.area_id = covered.area
    union all
    select sent.wave_id, 1, [sent.region_code], 'region:' || region_names.region_code,
        region_names.name_fi, region_names.name_sv, region_names.name_en
    from sent
    inner join region_names on region_names.region_code = sent.region_code
    union all
    select covered.wave_id, 2, named_sets.codes, named_areas.area_id, named_areas.name_fi,
        named_areas.name_sv, named_areas.name_en
    from covered
    inner join named_sets
        on named_sets.classification_year is not distinct from covered.classification_year
       and named_sets.fictional = covered.fictional
    inner join named_areas on named_areas.area_id = named_sets.area_id
    where len(named_sets.codes) > 1
      and list_has_all(covered.whole, named_sets.codes)
      and coalesce(
          covered.year between named_areas.valid_from and coalesce(named_areas.valid_to, 9999),
          true
      );
