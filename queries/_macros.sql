-- _macros: helpers that the named queries share, created once when the database is loaded,
-- before the lock. Not a named query: files whose name starts with "_" cannot be run by name.

-- in_selection: true when code is one of regions, or when regions is empty ("empty list = all").
create macro in_selection(code, regions) as
    len(regions::varchar[]) = 0 or list_contains(regions::varchar[], code);

-- localised: the Finnish, Swedish or English text by language code; Finnish for anything else.
create macro localised(lang, fi, sv, en) as
    case lang when 'sv' then sv when 'en' then en else fi end;

-- named_regions: every region with its name in one language.
create macro named_regions(lang) as table
    select region_code, localised(lang, name_fi, name_sv, name_en) as region
    from regions;
