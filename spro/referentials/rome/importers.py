"""Importer of ROME 4.0 (France Travail's "RefRomeCsv" export, unix_*_v460_utf8.csv).

Every file is read into dicts and checked first; only then is everything written by `ctx.sync` in bulk (no
query per row), so a broken file fails before any write.
Within one release the files must agree: an appellation, a link, a text or a mobilité naming a fiche (or an
item) that is not in the release's own referential files is a blocking ImportFailure naming the file, the
line and the field.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import models

from spro.core.codes import OGR, ROME, ROME_DOMAINE, ROME_GRAND_DOMAINE
from spro.referentials.importing import Dataset, ImportContext, Row
from spro.referentials.rome.models import (
    Appellation,
    CentreInteret,
    Coherence,
    Competence,
    ContexteTravail,
    DomaineProfessionnel,
    FicheCentreInteret,
    FicheCompetence,
    FicheContexteTravail,
    FicheMetier,
    FicheSavoir,
    FicheSecteurActivite,
    FicheSecteurNaf,
    FicheSousSecteurActivite,
    FicheTheme,
    GrandDomaine,
    Mobilite,
    Savoir,
    SecteurActivite,
    SecteurNaf,
    SousSecteurActivite,
    Theme,
)

YES_NO = {"O": True, "N": False, "": None}
OUI_NON = {"oui": True, "non": False}
RIASEC = {letter: letter for letter in "RIASEC"} | {"": ""}
COHERENCE = {c.value: c.value for c in Coherence}

SUFFIX = "_v460_utf8.csv"


def _file(stem: str) -> str:
    return f"unix_{stem}{SUFFIX}"


def _ogr(row: Row, column: str) -> str:
    return row.match(column, OGR.match, "OGR code", required=True)


def _text(value: str) -> str:
    """unix_texte doubles every apostrophe (an SQL-escaping leftover: "l''équipe"); undo it."""
    return value.replace("''", "'")


class RomeDataset(Dataset):
    name = "rome"
    title = "Métiers : ROME 4.0 (France Travail)"
    folder = "rome_v4"
    files = {
        "fiches": _file("referentiel_code_rome"),
        "appellations": _file("referentiel_appellation"),
        "grands_domaines": _file("grand_domaine"),
        "domaines": _file("domaine_professionnel"),
        "arborescence": _file("cr_gd_dp"),
        "riasec": _file("referentiel_code_rome_riasec"),
        "textes": _file("texte"),
        "competences": _file("referentiel_competence"),
        "macro_riasec": _file("referentiel_macro_competence_riasec"),
        "savoirs": _file("referentiel_savoir"),
        "contextes": _file("referentiel_contexte_travail"),
        "liens": _file("liens_rome_referentiels"),
        "coherence": _file("coherence_item"),
        "mobilites": _file("rubrique_mobilite"),
        "centres_interet": _file("centre_interet"),
        "fiches_centres_interet": _file("arborescence_centre_interet"),
        "secteurs": _file("secteur_activite"),
        "sous_secteurs": _file("sous_secteur_activite"),
        "fiches_secteurs": _file("arborescence_secteur_activite"),
        "themes": _file("themes"),
        "fiches_themes": _file("arborescence_thematique"),
        "secteurs_naf": _file("secteur_naf"),
        "fiches_naf": _file("arborescence_secteur_naf"),
    }
    publisher = "France Travail"
    licence = "Licence Ouverte 2.0"
    version = "ROME 4.0 v60 (18/09/2025)"
    attribution = "France Travail — ROME 4.0 v60, 18/09/2025"

    def load(self, ctx: ImportContext) -> None:
        # Read and check every file first, then write: a broken file fails fast, before any write.
        self._writes: list[tuple[type[models.Model], dict, dict[str, Any]]] = []
        domaines = self._domaines(ctx)
        fiches = self._read_fiches(ctx, domaines)
        self._sync(
            FicheMetier,
            fiches,
            key="code_rome",
            fields=[
                "libelle",
                "code_ogr",
                "code_fiche_metier",
                "parent_id",
                "domaine_professionnel_id",
                "transition_eco",
                "transition_num",
                "transition_demo",
                "emploi_reglemente",
                "emploi_cadre",
                "riasec_majeur",
                "riasec_mineur",
                "definition",
                "acces_metier",
            ],
        )
        codes = set(fiches)
        self._appellations(ctx, codes)
        competences = self._competences(ctx)
        savoirs = self._savoirs(ctx)
        contextes = self._contextes(ctx)
        self._liens(ctx, codes, competences, savoirs, contextes)
        self._mobilites(ctx, codes)
        self._centres_interet(ctx, codes)
        self._secteurs(ctx, codes)
        self._themes(ctx, codes)
        self._secteurs_naf(ctx, codes)
        for model, records, options in self._writes:
            ctx.sync(model, records, **options)

    def _sync(self, model: type[models.Model], records: dict, **options: Any) -> None:
        """Queue a `ctx.sync`, run once every file has been read and checked."""
        self._writes.append((model, records, options))

    # -- helpers ---------------------------------------------------------------
    @staticmethod
    def _fiche(row: Row, column: str, codes: set[str]) -> str:
        """A fiche code that must exist in this release's unix_referentiel_code_rome (blocking otherwise)."""
        code = row.str(column, required=True)
        if code not in codes:
            raise row.fail(column, f"fiche {code!r} is not in {RomeDataset.files['fiches']}")
        return code

    @staticmethod
    def _unique(records: dict, key: Any, row: Row, column: str) -> None:
        if key in records:
            raise row.fail(column, f"duplicate code {key!r}")

    def _sync_links(
        self, ctx: ImportContext, model, records: dict, key: tuple[str, str], fields: list[str]
    ) -> None:
        self._sync(model, records, key=key, fields=fields, on_missing="delete")

    # -- domaines --------------------------------------------------------------
    def _domaines(self, ctx: ImportContext) -> set[str]:
        grands: dict[str, dict] = {}
        for row in ctx.csv(
            "grands_domaines", required_columns=("code_grand_domaine", "libelle_grand_domaine")
        ):
            code = row.match(
                "code_grand_domaine",
                lambda v: ROME_GRAND_DOMAINE.match(v) is not None,
                "grand domaine code",
                required=True,
            )
            self._unique(grands, code, row, "code_grand_domaine")
            grands[code] = {"libelle": row.str("libelle_grand_domaine", required=True, max_length=200)}
        self._sync(GrandDomaine, grands, key="code", fields=["libelle"])

        domaines: dict[str, dict] = {}
        for row in ctx.csv(
            "domaines", required_columns=("code_domaine_professionnel", "libelle_domaine_professionnel")
        ):
            code = row.match(
                "code_domaine_professionnel",
                lambda v: ROME_DOMAINE.match(v) is not None,
                "domaine professionnel code",
                required=True,
            )
            self._unique(domaines, code, row, "code_domaine_professionnel")
            if code[0] not in grands:
                raise row.fail(
                    "code_domaine_professionnel",
                    f"grand domaine {code[0]!r} is not in {self.files['grands_domaines']}",
                )
            domaines[code] = {
                "libelle": row.str("libelle_domaine_professionnel", required=True, max_length=200),
                "grand_domaine_id": code[0],
            }
        self._sync(DomaineProfessionnel, domaines, key="code", fields=["libelle", "grand_domaine_id"])
        return set(domaines)

    # -- fiches ----------------------------------------------------------------
    def _read_fiches(self, ctx: ImportContext, domaines: set[str]) -> dict[str, dict]:
        fiches: dict[str, dict] = {}
        parents: dict[str, Row] = {}
        for row in ctx.csv(
            "fiches",
            required_columns=(
                "code_rome",
                "code_fiche_metier",
                "code_ogr",
                "libelle_rome",
                "transition_eco",
                "transition_num",
                "transition_demo",
                "emploi_reglemente",
                "emploi_cadre",
                "code_rome_parent",
            ),
        ):
            code = row.match("code_rome", ROME.match, "ROME code", required=True)
            self._unique(fiches, code, row, "code_rome")
            parent = row.match("code_rome_parent", ROME.match, "ROME code") or code
            parents[code] = row
            fiches[code] = {
                "libelle": row.str("libelle_rome", required=True, max_length=200),
                "code_ogr": _ogr(row, "code_ogr"),
                "code_fiche_metier": row.str("code_fiche_metier", max_length=10),
                "parent_id": None if parent == code else parent,
                "domaine_professionnel_id": None,
                "transition_eco": row.str("transition_eco", max_length=100),
                "transition_num": row.str("transition_num", max_length=100),
                "transition_demo": row.str("transition_demo", max_length=100),
                "emploi_reglemente": row.choice("emploi_reglemente", YES_NO),
                "emploi_cadre": row.choice("emploi_cadre", YES_NO),
                "riasec_majeur": "",
                "riasec_mineur": "",
                "definition": "",
                "acces_metier": "",
            }
        for code, record in fiches.items():
            if record["parent_id"] and record["parent_id"] not in fiches:
                raise parents[code].fail(
                    "code_rome_parent",
                    f"parent fiche {record['parent_id']!r} is not in {self.files['fiches']}",
                )
        codes = set(fiches)

        for row in ctx.csv("arborescence", required_columns=("code_rome", "code_domaine_professionel")):
            code = self._fiche(row, "code_rome", codes)
            domaine = row.str("code_domaine_professionel", required=True)
            if domaine not in domaines:
                raise row.fail(
                    "code_domaine_professionel",
                    f"domaine professionnel {domaine!r} is not in {self.files['domaines']}",
                )
            fiches[code]["domaine_professionnel_id"] = domaine
        for code, record in fiches.items():
            if record["domaine_professionnel_id"] is None:
                # The arborescence lists every fiche; else the code's first three characters are the domaine.
                if code[:3] not in domaines:
                    raise parents[code].fail("code_rome", f"no domaine professionnel for fiche {code!r}")
                record["domaine_professionnel_id"] = code[:3]

        for row in ctx.csv("riasec", required_columns=("code_rome", "riasec_majeur", "riasec_mineur")):
            code = self._fiche(row, "code_rome", codes)
            fiches[code]["riasec_majeur"] = row.choice("riasec_majeur", RIASEC)
            fiches[code]["riasec_mineur"] = row.choice("riasec_mineur", RIASEC)

        texts: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
        kinds = {"definition": "definition", "acces_metier": "acces_metier"}
        for row in ctx.csv(
            "textes", required_columns=("code_rome", "libelle_type_texte", "position_phrase", "libelle_texte")
        ):
            code = self._fiche(row, "code_rome", codes)
            kind = row.choice("libelle_type_texte", kinds, required=True)
            position = row.int("position_phrase", required=True)
            text = _text(row.str("libelle_texte"))
            if text:
                texts[(code, kind)].append((position, text))
        for (code, kind), sentences in texts.items():
            fiches[code][kind] = "\n".join(text for _, text in sorted(sentences))
        return fiches

    def _appellations(self, ctx: ImportContext, codes: set[str]) -> None:
        records: dict[str, dict] = {}
        classifications = {c.value: c.value for c in Appellation.Classification}
        for row in ctx.csv(
            "appellations",
            required_columns=(
                "code_ogr",
                "libelle_appellation_long",
                "libelle_appellation_court",
                "code_rome",
                "transition_eco",
                "transition_num",
                "transition_demo",
                "emploi_reglemente",
                "emploi_cadre",
                "classification",
                "origine",
                "code_rome_parent",
                "peu_usite",
            ),
        ):
            code = _ogr(row, "code_ogr")
            self._unique(records, code, row, "code_ogr")
            fiche = self._fiche(row, "code_rome", codes)
            parent = row.str("code_rome_parent")
            if parent and parent not in codes:
                raise row.fail("code_rome_parent", f"fiche {parent!r} is not in {self.files['fiches']}")
            records[code] = {
                "libelle_long": row.str("libelle_appellation_long", required=True, max_length=200),
                "libelle_court": row.str("libelle_appellation_court", max_length=100),
                "fiche_id": fiche,
                "fiche_parente_id": parent or None,
                "classification": row.choice("classification", classifications, required=True),
                "transition_eco": row.str("transition_eco", max_length=100),
                "transition_num": row.str("transition_num", max_length=100),
                "transition_demo": row.str("transition_demo", max_length=100),
                "emploi_reglemente": row.choice("emploi_reglemente", YES_NO),
                "emploi_cadre": row.choice("emploi_cadre", YES_NO),
                "origine": row.str("origine", max_length=100),
                "peu_usite": row.choice("peu_usite", {"O": True, "N": False, "": False}),
            }
        self._sync(
            Appellation,
            records,
            key="code_ogr",
            fields=[
                "libelle_long",
                "libelle_court",
                "fiche_id",
                "fiche_parente_id",
                "classification",
                "transition_eco",
                "transition_num",
                "transition_demo",
                "emploi_reglemente",
                "emploi_cadre",
                "origine",
                "peu_usite",
            ],
        )

    # -- items -----------------------------------------------------------------
    def _competences(self, ctx: ImportContext) -> dict[str, dict]:
        natures = {"Compétence": Competence.Nature.COMPETENCE, "Macro-compétence": Competence.Nature.MACRO}
        categories = {
            "Savoir-faire": Competence.Categorie.SAVOIR_FAIRE,
            "Savoir-être professionnel": Competence.Categorie.SAVOIR_ETRE,
        }
        records: dict[str, dict] = {}
        macro_rows: dict[str, Row] = {}
        for row in ctx.csv(
            "competences",
            required_columns=(
                "code_ogr",
                "nature",
                "libelle_competence",
                "definition",
                "code_ogr_macro_comp",
                "code_macro_comp",
                "cat_comp",
                "sous_cat_comp",
                "transition_eco",
                "transition_num",
                "libelle_heterogeneite",
                "libelle_origine",
            ),
        ):
            code = _ogr(row, "code_ogr")
            self._unique(records, code, row, "code_ogr")
            macro = row.match("code_ogr_macro_comp", OGR.match, "OGR code") or None
            if macro:
                macro_rows[code] = row
            records[code] = {
                "nature": row.choice("nature", natures, required=True),
                "libelle": row.str("libelle_competence", required=True, max_length=300),
                "definition": row.str("definition"),
                "macro_competence_id": macro,
                "code_macro": row.str("code_macro_comp", max_length=10),
                "categorie": row.choice("cat_comp", categories, required=True),
                "sous_categorie": row.str("sous_cat_comp", max_length=100),
                "transition_eco": row.choice("transition_eco", YES_NO),
                "transition_num": row.choice("transition_num", YES_NO),
                "heterogeneite": row.str("libelle_heterogeneite", max_length=40),
                "origine": row.str("libelle_origine", max_length=40),
                "riasec_majeur": "",
                "riasec_mineur": "",
            }
        for code, row in macro_rows.items():
            macro = records[code]["macro_competence_id"]
            if macro not in records:
                raise row.fail(
                    "code_ogr_macro_comp", f"macro-compétence {macro!r} is not in {self.files['competences']}"
                )
        for row in ctx.csv("macro_riasec", required_columns=("code_ogr", "riasec_majeur", "riasec_mineur")):
            code = row.str("code_ogr", required=True)
            if code not in records:
                raise row.fail("code_ogr", f"compétence {code!r} is not in {self.files['competences']}")
            records[code]["riasec_majeur"] = row.choice("riasec_majeur", RIASEC)
            records[code]["riasec_mineur"] = row.choice("riasec_mineur", RIASEC)
        self._sync(
            Competence,
            records,
            key="code_ogr",
            fields=[
                "nature",
                "libelle",
                "definition",
                "macro_competence_id",
                "code_macro",
                "categorie",
                "sous_categorie",
                "transition_eco",
                "transition_num",
                "heterogeneite",
                "origine",
                "riasec_majeur",
                "riasec_mineur",
            ],
        )
        return records

    def _savoirs(self, ctx: ImportContext) -> set[str]:
        records: dict[str, dict] = {}
        for row in ctx.csv(
            "savoirs",
            required_columns=(
                "code_ogr_savoir",
                "libelle_savoir",
                "categorie_savoir",
                "sous_categorie_savoir",
                "transition_eco",
                "transition_num",
            ),
        ):
            code = _ogr(row, "code_ogr_savoir")
            self._unique(records, code, row, "code_ogr_savoir")
            records[code] = {
                "libelle": row.str("libelle_savoir", required=True, max_length=300),
                "categorie": row.str("categorie_savoir", max_length=100),
                "sous_categorie": row.str("sous_categorie_savoir", max_length=100),
                "transition_eco": row.choice("transition_eco", YES_NO),
                "transition_num": row.choice("transition_num", YES_NO),
            }
        self._sync(
            Savoir,
            records,
            key="code_ogr",
            fields=["libelle", "categorie", "sous_categorie", "transition_eco", "transition_num"],
        )
        return set(records)

    def _contextes(self, ctx: ImportContext) -> set[str]:
        records: dict[str, dict] = {}
        for row in ctx.csv(
            "contextes",
            required_columns=(
                "code_ogr",
                "libelle_cont_travail",
                "code_type_cont_trav",
                "libelle_type_cont_trav",
            ),
        ):
            code = _ogr(row, "code_ogr")
            self._unique(records, code, row, "code_ogr")
            records[code] = {
                "libelle": row.str("libelle_cont_travail", required=True, max_length=300),
                "code_type": row.str("code_type_cont_trav", required=True, max_length=5),
                "libelle_type": row.str("libelle_type_cont_trav", max_length=100),
            }
        self._sync(ContexteTravail, records, key="code_ogr", fields=["libelle", "code_type", "libelle_type"])
        return set(records)

    # -- links -----------------------------------------------------------------
    def _liens(
        self,
        ctx: ImportContext,
        codes: set[str],
        competences: dict[str, dict],
        savoirs: set[str],
        contextes: set[str],
    ) -> None:
        """unix_liens_rome_referentiels: bloc 5 rubrique 1/2/3 and bloc 6. Blocs 1 (the fiche itself) and 2
        (its appellations) repeat unix_referentiel_code_rome and unix_referentiel_appellation; other blocs are
        not expected and are counted as a warning."""
        coherence: dict[tuple[str, str], str] = {}
        for row in ctx.csv("coherence", required_columns=("code_rome", "code_ogr", "coeur_metier")):
            code = self._fiche(row, "code_rome", codes)
            coherence[(code, row.str("code_ogr", required=True))] = row.choice("coeur_metier", COHERENCE)

        fiche_competences: dict[tuple[str, str], dict] = {}
        fiche_savoirs: dict[tuple[str, str], dict] = {}
        fiche_contextes: dict[tuple[str, str], dict] = {}
        duplicates = 0
        other_blocs: dict[str, int] = defaultdict(int)
        for row in ctx.csv(
            "liens", required_columns=("code_rome", "code_compo_bloc", "code_rubrique", "code_ogr")
        ):
            bloc = row.str("code_compo_bloc", required=True)
            rubrique = row.str("code_rubrique")
            code = self._fiche(row, "code_rome", codes)
            if bloc in ("1", "2"):
                continue
            item = row.str("code_ogr", required=True)
            pair = (code, item)
            if bloc == "5" and rubrique in ("1", "2"):
                if item not in competences:
                    raise row.fail("code_ogr", f"compétence {item!r} is not in {self.files['competences']}")
                target, label = fiche_competences, coherence.get(pair, "")
                record = {
                    "rubrique": int(rubrique),
                    "coherence": label,
                    "coeur_metier": label == Coherence.PRINCIPALE,
                }
            elif bloc == "5" and rubrique == "3":
                if item not in savoirs:
                    raise row.fail("code_ogr", f"savoir {item!r} is not in {self.files['savoirs']}")
                target, label = fiche_savoirs, coherence.get(pair, "")
                record = {"coherence": label, "coeur_metier": label == Coherence.PRINCIPALE}
            elif bloc == "6":
                if item not in contextes:
                    raise row.fail(
                        "code_ogr", f"contexte de travail {item!r} is not in {self.files['contextes']}"
                    )
                target, record = fiche_contextes, {}
            elif bloc == "5":
                raise row.fail(
                    "code_rubrique", f"unexpected rubrique {rubrique!r} in bloc 5 (expected 1, 2 or 3)"
                )
            else:
                other_blocs[bloc] += 1
                continue
            if pair in target:
                duplicates += 1
                continue
            target[pair] = record
        if duplicates:
            ctx.warn(f"{duplicates} duplicate fiche/item links ignored", source=ctx.path("liens"))
        for bloc, count in sorted(other_blocs.items()):
            ctx.warn(
                f"{count} links of unexpected bloc {bloc!r} ignored",
                source=ctx.path("liens"),
                field="code_compo_bloc",
            )
        self._sync_links(
            ctx,
            FicheCompetence,
            fiche_competences,
            ("fiche_id", "competence_id"),
            ["rubrique", "coherence", "coeur_metier"],
        )
        self._sync_links(
            ctx, FicheSavoir, fiche_savoirs, ("fiche_id", "savoir_id"), ["coherence", "coeur_metier"]
        )
        self._sync_links(ctx, FicheContexteTravail, fiche_contextes, ("fiche_id", "contexte_id"), [])

    def _mobilites(self, ctx: ImportContext, codes: set[str]) -> None:
        records: dict[tuple[str, str], dict] = {}
        for row in ctx.csv("mobilites", required_columns=("code_rome", "code_rome_cible", "numero_ordre")):
            source = self._fiche(row, "code_rome", codes)
            cible = self._fiche(row, "code_rome_cible", codes)
            if (source, cible) in records:
                raise row.fail("code_rome_cible", f"duplicate mobilité {source} → {cible}")
            records[(source, cible)] = {"numero_ordre": row.int("numero_ordre", required=True)}
        self._sync_links(ctx, Mobilite, records, ("fiche_source_id", "fiche_cible_id"), ["numero_ordre"])

    # -- tags ------------------------------------------------------------------
    def _labelled(
        self,
        ctx: ImportContext,
        role: str,
        model,
        code_column: str,
        label_column: str,
        definition_column: str | None,
    ) -> set[str]:
        records: dict[str, dict] = {}
        columns = tuple(c for c in (code_column, label_column, definition_column) if c)
        for row in ctx.csv(role, required_columns=columns):
            code = row.str(code_column, required=True, max_length=5)
            self._unique(records, code, row, code_column)
            records[code] = {"libelle": row.str(label_column, required=True, max_length=200)}
            if definition_column:
                records[code]["definition"] = row.str(definition_column)
        self._sync(
            model, records, key="code", fields=["libelle", "definition"] if definition_column else ["libelle"]
        )
        return set(records)

    def _tag_links(
        self,
        ctx: ImportContext,
        role: str,
        model,
        tag_field: str,
        tag_column: str,
        tags: set[str],
        tag_role: str,
        codes: set[str],
        principal: bool = False,
    ) -> None:
        records: dict[tuple[str, str], dict] = {}
        columns = ("code_rome", tag_column, *(("principal",) if principal else ()))
        for row in ctx.csv(role, required_columns=columns):
            fiche = self._fiche(row, "code_rome", codes)
            tag = row.str(tag_column, required=True)
            if tag not in tags:
                raise row.fail(tag_column, f"code {tag!r} is not in {self.files[tag_role]}")
            record = records.setdefault((fiche, tag), {"principal": False} if principal else {})
            if principal and row.choice("principal", OUI_NON, required=True):
                record["principal"] = True
        self._sync_links(
            ctx, model, records, ("fiche_id", f"{tag_field}_id"), ["principal"] if principal else []
        )

    def _centres_interet(self, ctx: ImportContext, codes: set[str]) -> None:
        centres = self._labelled(
            ctx,
            "centres_interet",
            CentreInteret,
            "code_centre_interet",
            "libelle_centre_interet",
            "definition_centre_interet",
        )
        self._tag_links(
            ctx,
            "fiches_centres_interet",
            FicheCentreInteret,
            "centre_interet",
            "code_centre_interet",
            centres,
            "centres_interet",
            codes,
            principal=True,
        )

    def _secteurs(self, ctx: ImportContext, codes: set[str]) -> None:
        secteurs = self._labelled(
            ctx,
            "secteurs",
            SecteurActivite,
            "code_sect_activite",
            "libelle_sect_activite",
            "definition_sect_activite",
        )
        sous_secteurs: dict[str, dict] = {}
        for row in ctx.csv(
            "sous_secteurs",
            required_columns=(
                "code_ss_sect_activite",
                "libelle_ss_sect_activite",
                "definition_ss_sect_activite",
                "code_sect_activite",
            ),
        ):
            code = row.str("code_ss_sect_activite", required=True, max_length=5)
            self._unique(sous_secteurs, code, row, "code_ss_sect_activite")
            secteur = row.str("code_sect_activite", required=True)
            if secteur not in secteurs:
                raise row.fail(
                    "code_sect_activite", f"secteur {secteur!r} is not in {self.files['secteurs']}"
                )
            sous_secteurs[code] = {
                "libelle": row.str("libelle_ss_sect_activite", required=True, max_length=200),
                "definition": row.str("definition_ss_sect_activite"),
                "secteur_id": secteur,
            }
        self._sync(
            SousSecteurActivite, sous_secteurs, key="code", fields=["libelle", "definition", "secteur_id"]
        )

        # One row per (secteur, sous-secteur or none, fiche); `principal` is set on the fiche's main secteur.
        fiche_secteurs: dict[tuple[str, str], dict] = {}
        fiche_sous_secteurs: dict[tuple[str, str], dict] = {}
        for row in ctx.csv(
            "fiches_secteurs",
            required_columns=("code_sect_activite", "code_ss_sect_activite", "code_rome", "principal"),
        ):
            fiche = self._fiche(row, "code_rome", codes)
            secteur = row.str("code_sect_activite", required=True)
            if secteur not in secteurs:
                raise row.fail(
                    "code_sect_activite", f"secteur {secteur!r} is not in {self.files['secteurs']}"
                )
            record = fiche_secteurs.setdefault((fiche, secteur), {"principal": False})
            if row.choice("principal", OUI_NON, required=True):
                record["principal"] = True
            sous_secteur = row.str("code_ss_sect_activite")
            if sous_secteur:
                if sous_secteur not in sous_secteurs:
                    raise row.fail(
                        "code_ss_sect_activite",
                        f"sous-secteur {sous_secteur!r} is not in {self.files['sous_secteurs']}",
                    )
                fiche_sous_secteurs[(fiche, sous_secteur)] = {}
        self._sync_links(ctx, FicheSecteurActivite, fiche_secteurs, ("fiche_id", "secteur_id"), ["principal"])
        self._sync_links(
            ctx, FicheSousSecteurActivite, fiche_sous_secteurs, ("fiche_id", "sous_secteur_id"), []
        )

    def _themes(self, ctx: ImportContext, codes: set[str]) -> None:
        themes = self._labelled(ctx, "themes", Theme, "code_theme", "libelle_theme", "definition_theme")
        self._tag_links(ctx, "fiches_themes", FicheTheme, "theme", "code_theme", themes, "themes", codes)

    def _secteurs_naf(self, ctx: ImportContext, codes: set[str]) -> None:
        records: dict[str, dict] = {}
        for row in ctx.csv(
            "secteurs_naf",
            required_columns=("code_tech_secteur_naf", "code_secteur_naf", "libelle_secteur_naf"),
        ):
            code = row.str("code_secteur_naf", required=True, max_length=5)
            self._unique(records, code, row, "code_secteur_naf")
            records[code] = {
                "code_technique": row.str("code_tech_secteur_naf", required=True, max_length=5),
                "libelle": row.str("libelle_secteur_naf", required=True, max_length=200),
            }
        self._sync(SecteurNaf, records, key="code", fields=["code_technique", "libelle"])
        self._tag_links(
            ctx,
            "fiches_naf",
            FicheSecteurNaf,
            "secteur_naf",
            "code_secteur_naf",
            set(records),
            "secteurs_naf",
            codes,
        )


DATASETS = [RomeDataset]
