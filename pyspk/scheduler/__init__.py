"""Driver-side scheduling: stages from lineage, task sets, offers onto executor slots."""
