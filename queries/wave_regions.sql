-- wave_regions: the regions each wave was sent to (wave_regions in queries/staging/), in code
-- order: the sidebar offers a wave's own regions only. Not a table: no -- column lines.
-- (no parameters)
select wave_id, region_code
from wave_regions
order by wave_id, region_code
