"""spro: the open-source platform of a Region's service public régional de l'orientation."""
