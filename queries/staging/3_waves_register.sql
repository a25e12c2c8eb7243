-- waves_register (staging view): the register of each wave's classification year (issue #7): the
-- real register for a real wave and the examples' fictional register for a fictional one, never
-- the other. All of Finland: wave_municipalities narrows it to the wave's area (issue #16). A wave
-- whose classification year is unknown has no rows: who should have answered is then unknown,
-- not "none". A view, not a table (issue #22): every query asks about one wave, and made for all
-- waves at load it was about 350 rows a wave (0.4 s with 2,000 waves stored).
create view waves_register as
    select
        waves.wave_id,
        register.municipality_code,
        register.name_fi,
        register.name_sv,
        register.region_code,
        nullif(register.sub_region_code, '') as sub_region_code,
        nullif(register.sub_region_fi, '') as sub_region_fi,
        nullif(register.sub_region_sv, '') as sub_region_sv,
        nullif(register.wellbeing_county_code, '') as wellbeing_county_code
    from waves
    inner join register_municipalities as register
        on register.year = waves.classification_year
       and register.fictional = waves.fictional
;
