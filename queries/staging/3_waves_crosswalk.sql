-- waves_crosswalk (staging table): where each municipality of one register year is in a later one,
-- for the classification years of the waves (issue #7 item 4: one municipality over every wave).
-- The same rule as register.Register.crosswalk: a merger dated 1 January of year Y is in force in
-- the register of Y, so the mergers followed from from_year to to_year are those with
-- from_year < year(date) <= to_year, in date order; region moves and renames keep the code. Real
-- and fictional registers are never mixed: each row says which one it follows.
create table waves_crosswalk as
    with recursive years as (
        select distinct classification_year as year, fictional
        from waves
        where classification_year is not null
    ),

    spans as (
        select earlier.fictional, earlier.year as from_year, later.year as to_year
        from years as earlier
        inner join years as later
            on later.fictional = earlier.fictional and later.year >= earlier.year
    ),

    walk(fictional, from_year, to_year, from_code, code, since, step) as (
        select spans.fictional, spans.from_year, spans.to_year, register.municipality_code,
            register.municipality_code, null::date, 0
        from spans
        inner join register_municipalities as register
            on register.year = spans.from_year and register.fictional = spans.fictional
        union all
        select walk.fictional, walk.from_year, walk.to_year, walk.from_code, change.to_code,
            change.date, walk.step + 1
        from walk
        inner join register_changes as change
            on change.fictional = walk.fictional
           and change.kind = 'merger'
           and change.from_code = walk.code
           and year(change.date) > walk.from_year
           and year(change.date) <= walk.to_year
           and (walk.since is null or change.date > walk.since)
    )

    select fictional, from_year, to_year, from_code, arg_max(code, step) as to_code
    from walk
    group by fictional, from_year, to_year, from_code;
