"""`spro decrochage …`: the dropout lists (docs/decrochage.md).

spro decrochage import FICHIER --campagne AAAA-MM [--json] [--correspondance SRC=col,...]
spro decrochage zones check|charger [--dossier DOSSIER]
spro decrochage affecter
spro decrochage defusionner ID
spro decrochage rechiffrer
spro decrochage demo [--campagne AAAA-MM]
spro decrochage cloturer --campagne AAAA-MM
spro decrochage purger [--dry-run] [--json]
spro decrochage indicateurs --campagne AAAA-MM [--zone CODE] [--json]
spro decrochage suivis [--structure ID] [--date AAAA-MM-JJ] [--json]
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from spro.directory.models import Structure
from spro.dropouts import chain, demo, importing, indicators, merges, reading, retention, services, zones

#: The demo's work counts (`demo.add_work`), as the command says them.
DEMO_WORK_LABELS = {
    "contacts": "tentative(s) de contact",
    "situations": "situation(s)",
    "solutions": "solution(s)",
    "suivis_faits": "suivi(s) fait(s)",
    "demandes_de_retour": "demande(s) de retour en formation",
}


class Command(BaseCommand):
    help = (
        "Listes de décrochage : import, zones des PSAD, affectation, défusion, rechiffrement, démonstration, "
        "suivis à faire."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="importer la liste d’une campagne (CSV ; UTF-8)")
        imp.add_argument("fichier")
        imp.add_argument("--campagne", required=True, help="AAAA-MM")
        imp.add_argument("--json", action="store_true", dest="as_json", help="un document JSON sur la sortie")
        imp.add_argument(
            "--correspondance", default="", help="en-têtes de la source : SRC=colonne,… (ex. INE_ELEVE=ine)"
        )
        zon = sub.add_parser("zones", help="vérifier ou charger les fichiers de zones des PSAD")
        zon.add_argument("zones_action", choices=["check", "charger"])
        zon.add_argument(
            "--dossier", default="", help="dossier des fichiers (défaut : <règles de la Région>/…)"
        )
        sub.add_parser("affecter", help="affecter de nouveau chaque jeune (après un changement des zones)")
        unm = sub.add_parser("defusionner", help="annuler une fusion : la ligne redevient un jeune à part")
        unm.add_argument("fusion", type=int)
        sub.add_parser("rechiffrer", help="chiffrer de nouveau chaque valeur avec la première clé")
        dem = sub.add_parser("demo", help="campagne de démonstration (données fictives)")
        dem.add_argument("--campagne", default="", help="AAAA-MM (défaut : le mois courant)")
        clo = sub.add_parser("cloturer", help="clore une campagne (début du délai de conservation)")
        clo.add_argument("--campagne", required=True, help="AAAA-MM")
        pur = sub.add_parser(
            "purger",
            help="effacer les jeunes dont chaque campagne est close depuis plus de "
            "SPRO_DROPOUT_RETENTION_MONTHS mois (12 par défaut)",
        )
        pur.add_argument("--dry-run", action="store_true", dest="dry_run", help="compter sans rien effacer")
        pur.add_argument("--json", action="store_true", dest="as_json", help="un document JSON sur la sortie")
        ind = sub.add_parser(
            "indicateurs", help="indicateurs d’une campagne par zone (petits effectifs masqués)"
        )
        ind.add_argument("--campagne", required=True, help="AAAA-MM")
        ind.add_argument("--zone", default="", help="code d’une zone (défaut : toutes)")
        ind.add_argument("--json", action="store_true", dest="as_json", help="un document JSON sur la sortie")
        sui = sub.add_parser("suivis", help="suivis à 3 et 6 mois à faire : dus et en retard")
        sui.add_argument(
            "--structure", type=int, default=None, help="identifiant de la structure (partenaire ou PSAD)"
        )
        sui.add_argument("--date", default="", dest="on", help="AAAA-MM-JJ (défaut : aujourd’hui)")
        sui.add_argument("--json", action="store_true", dest="as_json", help="un document JSON sur la sortie")

    def handle(self, *args, action: str, **options):
        getattr(self, "_" + action)(**options)

    def _import(self, *, fichier: str, campagne: str, as_json: bool, correspondance: str, **_):
        path = Path(fichier)
        if not path.is_file():
            raise CommandError(f"{fichier} : fichier introuvable")
        try:
            mapping = reading.parse_mapping(correspondance)
        except ValueError as error:
            raise CommandError(str(error)) from None
        try:
            result = importing.import_list(path, campagne, mapping=mapping)
        except reading.ImportRejected as rejected:
            result = importing.ImportResult(erreurs=rejected.errors)
            if as_json:
                self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            else:
                for problem in rejected.errors:
                    where = f"ligne {problem.ligne}" + (
                        f", champ « {problem.champ} »" if problem.champ else ""
                    )
                    self.stderr.write(f"{path.name}, {where} : {problem.message}")
            raise CommandError(
                f"fichier rejeté : {len(rejected.errors)} erreur(s), rien n’a été écrit", returncode=1
            ) from None
        if as_json:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(
                f"Campagne {campagne} : {result.crees} créé(s), {result.fusionnes} fusionné(s), "
                f"{result.inchanges} inchangé(s)."
            )

    def _folder(self, dossier: str) -> Path:
        if dossier:
            return Path(dossier)
        folder = zones.zones_folder()
        if folder is None:
            raise CommandError(
                "aucun dossier de zones : définir SPRO_ANSWER_RULES_DIR (sous-dossier decrochage/zones/) "
                "ou donner --dossier"
            )
        return folder

    def _zones(self, *, zones_action: str, dossier: str, **_):
        folder = self._folder(dossier)
        try:
            if zones_action == "check":
                checked = zones.check_folder(folder)
                self.stdout.write(f"{len(checked.zones)} zone(s) valide(s) dans {folder}.")
                return
            loaded = zones.load_folder(folder)
        except zones.ZoneFileError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Zones : {loaded.created} créée(s), {loaded.updated} mise(s) à jour, {loaded.deleted} supprimée(s). "
            "Lancer « spro decrochage affecter » pour affecter de nouveau les jeunes."
        )

    def _affecter(self, **_):
        changed = services.reassign_all()
        self.stdout.write(f"{changed} jeune(s) dont l’affectation a changé.")

    def _defusionner(self, *, fusion: int, **_):
        try:
            done = merges.unmerge(fusion)
        except merges.UnmergeError as error:
            raise CommandError(str(error)) from None
        kept = f" ; gardées (modifiées depuis) : {', '.join(done.kept)}" if done.kept else ""
        self.stdout.write(
            f"Fusion {fusion} annulée : jeune n° {done.person.pk} rétabli "
            f"({', '.join(done.restored) or 'aucune valeur à rétablir'}{kept}) ; la ligne devient le jeune "
            f"n° {done.split.pk}."
        )

    def _rechiffrer(self, **_):
        counts = merges.reencrypt()
        self.stdout.write(
            "Rechiffré avec la première clé de SPRO_DROPOUT_KEYS : "
            + ", ".join(f"{count} {name}" for name, count in counts.items())
            + "."
        )

    def _demo(self, *, campagne: str, **_):
        try:
            done = demo.load(campagne or None)
        except demo.DemoError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Campagne de démonstration {done.campaign} (données fictives) : {done.result.crees} créé(s), "
            f"{done.result.fusionnes} fusionné(s), {done.result.inchanges} inchangé(s) ; {done.zones} zone(s)."
        )
        if any(done.work.values()):
            self.stdout.write(
                "Travail de démonstration : "
                + ", ".join(f"{done.work[name]} {label}" for name, label in DEMO_WORK_LABELS.items())
                + "."
            )

    def _cloturer(self, *, campagne: str, **_):
        try:
            campaign = retention.close_campaign(campagne)
        except retention.RetentionError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Campagne {campaign.code} close le {campaign.closed_on:%d/%m/%Y} : ses jeunes seront effacés à "
            f"partir du {retention.erasure_date(campaign):%d/%m/%Y} s’ils ne figurent dans aucune autre campagne "
            "ouverte ou close depuis moins longtemps."
        )

    def _purger(self, *, dry_run: bool, as_json: bool, **_):
        result = retention.purge(dry_run=dry_run)
        if as_json:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        verb = "à effacer (simulation, rien n’est écrit)" if dry_run else "effacé(s)"
        self.stdout.write(
            f"{result.jeunes} jeune(s) {verb} : campagnes closes avant le {result.cutoff:%d/%m/%Y} "
            f"({result.months} mois) ; {result.inscriptions} inscription(s), {result.lignes_importees} ligne(s) "
            f"importée(s), {result.fusions} fusion(s)."
        )

    def _suivis(self, *, structure: int | None, on: str, as_json: bool, **_):
        try:
            day = date.fromisoformat(on) if on else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date « {on} » : AAAA-MM-JJ attendu") from None
        if structure is not None and not Structure.objects.filter(pk=structure).exists():
            raise CommandError(f"--structure {structure} : structure inconnue")
        rows: list[dict[str, Any]] = []
        lines: list[str] = []
        for follow_up in chain.due_follow_ups(day, None if structure is None else [structure]):
            person = follow_up.solution.person
            through = person.partner or (person.zone.psad_structure if person.zone else None)
            late = (day - follow_up.due_on).days
            rows.append(
                {
                    "suivi": follow_up.pk,
                    "jeune": person.pk,
                    "zone": person.zone.code if person.zone else None,
                    "structure": through.pk if through else None,
                    "structure_nom": through.nom if through else None,
                    "solution": follow_up.solution_id,
                    "type": follow_up.solution.solution_type,
                    "mois": follow_up.month,
                    "echeance": follow_up.due_on.isoformat(),
                    "jours_de_retard": late,
                }
            )
            when = (
                f"en retard de {late} j" if late > 0 else ("dû ce jour" if late == 0 else f"dans {-late} j")
            )
            lines.append(
                f"jeune n° {person.pk} · {through.nom if through else 'sans structure'} · suivi à "
                f"{follow_up.month} mois de la solution n° {follow_up.solution_id} "
                f"({follow_up.solution.solution_type}) · le {follow_up.due_on:%d/%m/%Y} · {when}"
            )
        if as_json:
            self.stdout.write(json.dumps({"date": day.isoformat(), "suivis": rows}, ensure_ascii=False))
            return
        self.stdout.write(f"{len(rows)} suivi(s) à faire au {day:%d/%m/%Y}.")
        for text in lines:
            self.stdout.write(text)

    def _indicateurs(self, *, campagne: str, zone: str, as_json: bool, **_):
        try:
            campaign = indicators.campaign_or_error(campagne)
            chosen = None
            if zone:
                chosen = list(indicators.PsadZone.objects.filter(code=zone))
                if not chosen:
                    raise indicators.IndicatorError(f"zone « {zone} » inconnue")
            result = indicators.compute(campaign, chosen, with_no_zone=not zone)
        except indicators.IndicatorError as error:
            raise CommandError(str(error)) from None
        if as_json:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        for table in result.tables:
            self.stdout.write(f"\n{table.title} (campagne {campaign.code})")
            self.stdout.write(" ; ".join(["Zone", *[label for _, label in table.columns]]))
            for _code, zone_label, cells in table.rows:
                self.stdout.write(" ; ".join([zone_label, *[str(cells[code]) for code, _ in table.columns]]))
