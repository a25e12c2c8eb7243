-- waves (staging table): the waves described in waves.csv, and every response-level wave that has
-- data but no row there (its title, year and response rate are then unknown: NULL, shown as such).
-- A response-level row may leave cells blank that the data can tell (the import writes such a
-- row: the wave's area and questionnaire, issue #16): the year and classification year from the
-- wave id, the target group, the source, the questionnaire of the loaded file.
-- classification_year: the municipality register year the wave's codes follow (issue #7): from
-- waves.csv, else the year its id starts with when the register (of the wave's kind: real or
-- fictional) has that year, else unknown. The same rule as tilannekuva/register_check.py applies
-- when a file is validated.
-- area: a named area (data/areas.csv) or ';'-separated region codes; blank = the regions of the
-- wave's data (wave_regions, 4_wave_regions.sql).
create table waves as
    with files as (
        select
            wave_id,
            bool_or(fictional) as fictional,
            min(questionnaire_id) as questionnaire_id,
            min(file) as file
        from response_files
        group by wave_id
    ),

    id_years as (
        select
            wave_id,
            case when regexp_matches(wave_id, '^(19|20)[0-9]{2}') then left(wave_id, 4)::integer end as id_year,
            case
                when regexp_matches(wave_id, '^(19|20)[0-9]{2}([^0-9]|$)') then left(wave_id, 4)::integer
            end as id_register_year
        from (select wave_id from wave_metadata union select wave_id from files)
    ),

    described as (
        select
            meta.wave_id, meta.title_fi, meta.title_sv, meta.title_en,
            coalesce(meta.year, case when meta.level = 'response' then id_years.id_year end) as year,
            coalesce(
                meta.classification_year,
                case when meta.level = 'response' then (
                    select max(register.year)
                    from register_regions as register
                    where register.year = id_years.id_register_year
                      and register.fictional = meta.fictional
                ) end
            ) as classification_year,
            coalesce(
                meta.target_group,
                case when meta.level = 'response' then 'municipalities;police;rescue_services' end
            ) as target_group,
            meta.response_rate_percent, meta.level, meta.fictional,
            coalesce(meta.source, files.file) as source,
            meta.area,
            coalesce(meta.questionnaire, files.questionnaire_id) as questionnaire
        from wave_metadata as meta
        inner join id_years on id_years.wave_id = meta.wave_id
        left join files on files.wave_id = meta.wave_id
        -- A wave whose file or area did not load (db.py: Database.unavailable) is not offered.
        where meta.wave_id not in (select wave_id from unavailable_waves)
    ),

    undescribed as (
        select
            files.wave_id,
            null as title_fi,
            null as title_sv,
            null as title_en,
            id_years.id_year as year,
            (
                select max(register.year)
                from register_regions as register
                where register.year = id_years.id_register_year
                  and register.fictional = files.fictional
            ) as classification_year,
            'municipalities;police;rescue_services' as target_group,
            null as response_rate_percent,
            'response' as level,
            files.fictional,
            files.file as source,
            null as area,
            files.questionnaire_id as questionnaire
        from files
        inner join id_years on id_years.wave_id = files.wave_id
        where files.wave_id not in (select wave_id from wave_metadata)
    )

    select * from described
    union all
    select * from undescribed;
