-- regions (staging table): the regions the app lists, names and totals over: those some wave was
-- sent to or has data for (wave_regions). regions.csv names every region of Finland of 2009-2026
-- (issue #7: an imported wave may cover any region), but a list of twenty regions of which
-- seventeen have no data in any wave would only be empty rows and filter choices.
create table regions as
    select region_code, name_fi, name_sv, name_en
    from region_names
    where region_code in (select region_code from wave_regions);
