"""The LHÉO 2.3 element names the importer reads, as Clark names (`{namespace}local`).

`T` maps each local name to its Clark name; each is also a module constant (`T_CODE_ROME`…), because the
reader compares tags millions of times and a module global is cheaper than `T[...]`. Below them, the tables that
map the simple children of <action>, <formation> and <adresse> to the fields the reader fills.
"""

from __future__ import annotations

from typing import Any

from spro.referentials.offers.lheo import NS

T = {
    name: NS + name
    for name in (
        "domaine-formation",
        "code-FORMACODE",
        "code-NSF",
        "code-ROME",
        "intitule-formation",
        "objectif-formation",
        "resultats-attendus",
        "contenu-formation",
        "certifiante",
        "parcours-de-formation",
        "code-niveau-entree",
        "code-niveau-sortie",
        "objectif-general-formation",
        "certification",
        "code-RNCP",
        "code-CERTIFINFO",
        "code-RS",
        "url-formation",
        "urlweb",
        "action",
        "organisme-formation-responsable",
        "rythme-formation",
        "code-public-vise",
        "info-public-vise",
        "niveau-entree-obligatoire",
        "modalites-alternance",
        "modalites-enseignement",
        "conditions-specifiques",
        "prise-en-charge-frais-possible",
        "lieu-de-formation",
        "modalites-entrees-sorties",
        "url-action",
        "session",
        "hebergement",
        "restauration",
        "transport",
        "acces-handicapes",
        "modalites-recrutement",
        "modalites-pedagogiques",
        "prix-horaire-TTC",
        "prix-total-TTC",
        "duree-indicative",
        "nombre-heures-centre",
        "nombre-heures-entreprise",
        "nombre-heures-total",
        "detail-conditions-prise-en-charge",
        "conventionnement",
        "organisme-financeur",
        "code-financeur",
        "nb-places-financees",
        "periode",
        "debut",
        "fin",
        "adresse-inscription",
        "adresse",
        "modalites-inscription",
        "etat-recrutement",
        "url-session",
        "numero-activite",
        "SIRET-organisme-formation",
        "SIRET",
        "nom-organisme",
        "raison-sociale",
        "coordonnees-organisme",
        "coordonnees",
        "code-UAI-organisme-formation",
        "code-UAI",
        "ligne",
        "codepostal",
        "ville",
        "departement",
        "code-INSEE-commune",
        "code-INSEE-canton",
        "region",
        "pays",
        "geolocalisation",
        "latitude",
        "longitude",
        "denomination",
        "telfixe",
        "portable",
        "numtel",
        "courriel",
        "web",
        "extras",
    )
}

# The tags as module constants: compared millions of times, a global is cheaper than T[...].
T_DOMAINE_FORMATION = T["domaine-formation"]
T_CODE_FORMACODE = T["code-FORMACODE"]
T_CODE_NSF = T["code-NSF"]
T_CODE_ROME = T["code-ROME"]
T_INTITULE_FORMATION = T["intitule-formation"]
T_OBJECTIF_FORMATION = T["objectif-formation"]
T_RESULTATS_ATTENDUS = T["resultats-attendus"]
T_CONTENU_FORMATION = T["contenu-formation"]
T_CERTIFIANTE = T["certifiante"]
T_PARCOURS_DE_FORMATION = T["parcours-de-formation"]
T_CODE_NIVEAU_ENTREE = T["code-niveau-entree"]
T_CODE_NIVEAU_SORTIE = T["code-niveau-sortie"]
T_OBJECTIF_GENERAL_FORMATION = T["objectif-general-formation"]
T_CERTIFICATION = T["certification"]
T_CODE_RNCP = T["code-RNCP"]
T_CODE_CERTIFINFO = T["code-CERTIFINFO"]
T_CODE_RS = T["code-RS"]
T_URL_FORMATION = T["url-formation"]
T_URLWEB = T["urlweb"]
T_ACTION = T["action"]
T_ORGANISME_FORMATION_RESPONSABLE = T["organisme-formation-responsable"]
T_RYTHME_FORMATION = T["rythme-formation"]
T_CODE_PUBLIC_VISE = T["code-public-vise"]
T_INFO_PUBLIC_VISE = T["info-public-vise"]
T_NIVEAU_ENTREE_OBLIGATOIRE = T["niveau-entree-obligatoire"]
T_MODALITES_ALTERNANCE = T["modalites-alternance"]
T_MODALITES_ENSEIGNEMENT = T["modalites-enseignement"]
T_CONDITIONS_SPECIFIQUES = T["conditions-specifiques"]
T_PRISE_EN_CHARGE_FRAIS_POSSIBLE = T["prise-en-charge-frais-possible"]
T_LIEU_DE_FORMATION = T["lieu-de-formation"]
T_MODALITES_ENTREES_SORTIES = T["modalites-entrees-sorties"]
T_URL_ACTION = T["url-action"]
T_SESSION = T["session"]
T_HEBERGEMENT = T["hebergement"]
T_RESTAURATION = T["restauration"]
T_TRANSPORT = T["transport"]
T_ACCES_HANDICAPES = T["acces-handicapes"]
T_MODALITES_RECRUTEMENT = T["modalites-recrutement"]
T_MODALITES_PEDAGOGIQUES = T["modalites-pedagogiques"]
T_PRIX_HORAIRE_TTC = T["prix-horaire-TTC"]
T_PRIX_TOTAL_TTC = T["prix-total-TTC"]
T_DUREE_INDICATIVE = T["duree-indicative"]
T_NOMBRE_HEURES_CENTRE = T["nombre-heures-centre"]
T_NOMBRE_HEURES_ENTREPRISE = T["nombre-heures-entreprise"]
T_NOMBRE_HEURES_TOTAL = T["nombre-heures-total"]
T_DETAIL_CONDITIONS_PRISE_EN_CHARGE = T["detail-conditions-prise-en-charge"]
T_CONVENTIONNEMENT = T["conventionnement"]
T_ORGANISME_FINANCEUR = T["organisme-financeur"]
T_CODE_FINANCEUR = T["code-financeur"]
T_NB_PLACES_FINANCEES = T["nb-places-financees"]
T_PERIODE = T["periode"]
T_DEBUT = T["debut"]
T_FIN = T["fin"]
T_ADRESSE_INSCRIPTION = T["adresse-inscription"]
T_ADRESSE = T["adresse"]
T_MODALITES_INSCRIPTION = T["modalites-inscription"]
T_ETAT_RECRUTEMENT = T["etat-recrutement"]
T_URL_SESSION = T["url-session"]
T_NUMERO_ACTIVITE = T["numero-activite"]
T_SIRET_ORGANISME_FORMATION = T["SIRET-organisme-formation"]
T_SIRET = T["SIRET"]
T_NOM_ORGANISME = T["nom-organisme"]
T_RAISON_SOCIALE = T["raison-sociale"]
T_COORDONNEES_ORGANISME = T["coordonnees-organisme"]
T_COORDONNEES = T["coordonnees"]
T_CODE_UAI_ORGANISME_FORMATION = T["code-UAI-organisme-formation"]
T_CODE_UAI = T["code-UAI"]
T_LIGNE = T["ligne"]
T_CODEPOSTAL = T["codepostal"]
T_VILLE = T["ville"]
T_DEPARTEMENT = T["departement"]
T_CODE_INSEE_COMMUNE = T["code-INSEE-commune"]
T_CODE_INSEE_CANTON = T["code-INSEE-canton"]
T_REGION = T["region"]
T_PAYS = T["pays"]
T_GEOLOCALISATION = T["geolocalisation"]
T_LATITUDE = T["latitude"]
T_LONGITUDE = T["longitude"]
T_DENOMINATION = T["denomination"]

# Simple text children of <action> mapped to a model field of the same meaning.
ACTION_TEXTS = {
    T_RYTHME_FORMATION: "rythme",
    T_INFO_PUBLIC_VISE: "info_public_vise",
    T_MODALITES_ALTERNANCE: "modalites_alternance",
    T_CONDITIONS_SPECIFIQUES: "conditions_specifiques",
    T_HEBERGEMENT: "hebergement",
    T_RESTAURATION: "restauration",
    T_TRANSPORT: "transport",
    T_ACCES_HANDICAPES: "acces_handicapes",
    T_MODALITES_RECRUTEMENT: "modalites_recrutement",
    T_MODALITES_PEDAGOGIQUES: "modalites_pedagogiques",
    T_DUREE_INDICATIVE: "duree_indicative",
    T_DETAIL_CONDITIONS_PRISE_EN_CHARGE: "detail_conditions_prise_en_charge",
}
ACTION_INTS = {
    T_NOMBRE_HEURES_CENTRE: "nombre_heures_centre",
    T_NOMBRE_HEURES_ENTREPRISE: "nombre_heures_entreprise",
    T_NOMBRE_HEURES_TOTAL: "nombre_heures_total",
}
ACTION_PRICES = {T_PRIX_HORAIRE_TTC: "prix_horaire_ttc", T_PRIX_TOTAL_TTC: "prix_total_ttc"}
FORMATION_TEXTS = {
    T_OBJECTIF_FORMATION: "objectif",
    T_RESULTATS_ATTENDUS: "resultats_attendus",
    T_CONTENU_FORMATION: "contenu",
}
FORMATION_CODES = {
    T_PARCOURS_DE_FORMATION: "parcours",
    T_CODE_NIVEAU_ENTREE: "niveau_entree",
    T_CODE_NIVEAU_SORTIE: "niveau_sortie",
    T_OBJECTIF_GENERAL_FORMATION: "objectif_general",
}
ADDRESS_TEXTS = {
    T_CODEPOSTAL: "code_postal",
    T_VILLE: "ville",
    T_DEPARTEMENT: "departement",
    T_CODE_INSEE_COMMUNE: "code_insee_commune",
    T_CODE_INSEE_CANTON: "code_insee_canton",
    T_REGION: "region",
    T_PAYS: "pays",
    T_DENOMINATION: "denomination",
}

#: what `FormationReader.address` reads in its flat pass: a text (str), a line, or nothing (geolocalisation)
ADDRESS_LINE, ADDRESS_SKIP = object(), object()
ADDRESS_FLAT: dict[str, Any] = {
    **ADDRESS_TEXTS,
    T_LATITUDE: "latitude",
    T_LONGITUDE: "longitude",
    T_LIGNE: ADDRESS_LINE,
    T_GEOLOCALISATION: ADDRESS_SKIP,
}
