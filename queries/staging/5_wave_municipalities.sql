-- wave_municipalities (staging view): the municipalities a response-level wave was sent to and
-- expects answers from (issue #16): the municipalities of its register (waves_register: the
-- classification year's) in its area: the members of its wellbeing services county, else the
-- municipalities of its regions (wave_regions). Nothing outside the area: a one-region wave never
-- chases all of Finland. A view for the wave a query asks about (issue #22: made for every wave at
-- load it took 2.8 s with 2,000 waves stored).
create view wave_municipalities as
    select register.*
    from waves_register as register
    inner join waves on waves.wave_id = register.wave_id
    left join named_areas
        on named_areas.area_id = nullif(trim(waves.area), '')
       and named_areas.kind = 'wellbeing_county'
    where waves.level = 'response'
      and case
        when named_areas.area_id is not null
            then register.wellbeing_county_code = named_areas.wellbeing_county_code
        else register.region_code in (
            select region_code from wave_regions where wave_regions.wave_id = register.wave_id
        )
    end;
