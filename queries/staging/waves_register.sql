-- waves_register (staging view): the municipalities each response-level wave is expected to cover:
-- the register of the wave's classification year (issue #7), the real register for a real wave and
-- the examples' fictional register for a fictional one, never the other. A wave whose
-- classification year is unknown has no rows: who should have answered is then unknown, not "none".
-- (Named after waves.sql so that it is created after the waves view it reads.)
create view waves_register as
    select
        waves.wave_id,
        register.municipality_code,
        register.name_fi,
        register.name_sv,
        register.region_code,
        nullif(register.sub_region_code, '') as sub_region_code,
        nullif(register.sub_region_fi, '') as sub_region_fi,
        nullif(register.sub_region_sv, '') as sub_region_sv
    from waves
    inner join register_municipalities as register
        on register.year = waves.classification_year
       and register.fictional = waves.fictional
    where waves.level = 'response';
