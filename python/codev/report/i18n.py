"""The words of the funding brief (``codev.report``) in English and French, in
one table, and the way each language writes numbers.

Every text the brief shows, charts included, is a key of :data:`TEXT`; a
template's ``{fields}`` are filled by :func:`text`. A new language adds one
column to each entry (the test suite checks that every entry has every
language).
"""

import math

LANGUAGES = ("en", "fr")

#: key -> {language: text}. Fields in braces are filled by :func:`text`.
TEXT: dict[str, dict[str, str]] = {
    # ---- the page -----------------------------------------------------------------
    "title": {"en": "Funding brief", "fr": "Note de financement"},
    "subtitle": {
        "en": "{policies} against the baseline {baseline}",
        "fr": "{policies} comparés à la situation de référence {baseline}",
    },
    "made_from": {
        "en": "Made from the results file {file} ({scenarios} scenarios, {replicates} replicates, "
        "seed {seed}, {years} years simulated) on {date} by codev {version}.",
        "fr": "Établie à partir du fichier de résultats {file} ({scenarios} scénarios, {replicates} "
        "réplications, graine {seed}, {years} ans simulés) le {date} par codev {version}.",
    },
    "in_memory": {"en": "(results held in memory)", "fr": "(résultats en mémoire)"},
    "how_to_read": {
        "en": "Every number is a model output: the mean over {replicates} replicates (runs of the same scenario "
        "with different random draws), with its 90 % range in brackets (from the 5th to the 95th "
        "percentile over replicates). Differences to the baseline are taken replicate by replicate: "
        "replicate r of every scenario draws the same random numbers, so a difference is the policy's, "
        "not noise. Money is in CFA francs (FCFA, XOF); M FCFA is a million FCFA.",
        "fr": "Chaque nombre est un résultat du modèle : la moyenne sur {replicates} réplications (exécutions "
        "du même scénario avec des tirages aléatoires différents), avec entre crochets son intervalle "
        "à 90 % (du 5e au 95e centile sur les réplications). Les écarts à la référence sont calculés "
        "réplication par réplication : la réplication r de chaque scénario tire les mêmes nombres "
        "aléatoires, si bien qu'un écart est dû à la politique, non au hasard. Les montants sont en "
        "francs CFA (FCFA, XOF) ; M FCFA signifie million de FCFA.",
    },
    "contents": {"en": "Contents", "fr": "Sommaire"},
    "overview": {"en": "What each policy adds", "fr": "Ce que chaque politique apporte"},
    "overview_caption": {
        "en": "What each policy adds to the baseline over {years} years, paired replicate by replicate",
        "fr": "Ce que chaque politique ajoute à la référence sur {years} ans, réplication par réplication",
    },
    "overview_note": {
        "en": "People reached count each person once, whatever the number of sectors serving them. A cost per "
        "additional person divides the public money a policy adds by the people it adds (∞: some "
        "replicates add nobody). The share built anyway is the share of the co-financed projects that the "
        "baseline completes too.",
        "fr": "Les personnes atteintes sont comptées une fois, quel que soit le nombre de secteurs qui les "
        "desservent. Un coût par personne supplémentaire divise l'argent public qu'une politique ajoute par "
        "les personnes qu'elle ajoute (∞ : certaines réplications n'en ajoutent aucune). La part construite "
        "de toute façon est la part des projets cofinancés que la référence achève aussi.",
    },
    "unspent_warning": {
        "en": "{name} leaves {unspent} of the programme money made available unspent: a larger budget would buy "
        "nothing under these rules.",
        "fr": "{name} laisse {unspent} de l'argent du programme mis à disposition non dépensé : un budget plus "
        "élevé n'achèterait rien avec ces règles.",
    },
    "financing_overview_caption": {
        "en": "Who paid for the projects: shares of the money paid into projects (mean over replicates)",
        "fr": "Qui a payé les projets : parts de l'argent versé aux projets (moyenne sur les réplications)",
    },
    "table": {"en": "Table", "fr": "Tableau"},
    "figure": {"en": "Figure", "fr": "Figure"},
    "scenario": {"en": "scenario", "fr": "scénario"},
    "baseline_tag": {"en": "baseline", "fr": "référence"},
    "policy_section": {"en": "{name}", "fr": "{name}"},
    "not_available": {"en": "–", "fr": "–"},
    "mean_range": {"en": "mean [90 % range]", "fr": "moyenne [intervalle à 90 %]"},
    "added_range": {"en": "added to the baseline [90 % range]", "fr": "en plus de la référence [intervalle à 90 %]"},
    # ---- column and row labels ----------------------------------------------------
    "col_public": {"en": "public money paid (M FCFA)", "fr": "argent public versé (M FCFA)"},
    "col_projects": {"en": "projects completed", "fr": "projets achevés"},
    "col_people": {"en": "people served at the end", "fr": "personnes desservies à la fin"},
    "col_extra_people": {"en": "additional people reached", "fr": "personnes atteintes en plus"},
    "col_extra_projects": {"en": "additional projects completed", "fr": "projets achevés en plus"},
    "col_extra_public": {"en": "additional public money (M FCFA)", "fr": "argent public en plus (M FCFA)"},
    "col_cost_person": {
        "en": "programme FCFA per additional person reached",
        "fr": "FCFA du programme par personne atteinte en plus",
    },
    "col_cost_person_public": {
        "en": "public FCFA per additional person reached (communes and loans' cost included)",
        "fr": "FCFA publics par personne atteinte en plus (communes et coût des prêts compris)",
    },
    "col_built_anyway": {
        "en": "share of co-financed projects built anyway",
        "fr": "part des projets cofinancés construits de toute façon",
    },
    "col_unspent": {"en": "budget unspent", "fr": "budget non dépensé"},
    "receipts_note": {
        "en": "{name}: households receive {receipts} more in remittances than in the baseline {receipts_range}.",
        "fr": "{name} : les ménages reçoivent {receipts} de plus en envois que dans la référence {receipts_range}.",
    },
    "col_reached": {"en": "people reached at the end", "fr": "personnes atteintes à la fin"},
    "col_amount": {"en": "M FCFA, mean [90 % range]", "fr": "M FCFA, moyenne [intervalle à 90 %]"},
    "col_share": {"en": "share of the money paid into projects", "fr": "part de l'argent versé aux projets"},
    "col_year": {"en": "year", "fr": "année"},
    "col_with_policy": {"en": "with the policy", "fr": "avec la politique"},
    "col_baseline": {"en": "baseline", "fr": "référence"},
    "col_difference": {"en": "difference (paired)", "fr": "écart (apparié)"},
    "col_reference": {"en": "{name}", "fr": "{name}"},
    "col_sector": {"en": "sector", "fr": "secteur"},
    "col_indicator": {"en": "indicator", "fr": "indicateur"},
    "all_sectors": {"en": "all sectors", "fr": "tous secteurs"},
    "sector_water": {"en": "water", "fr": "eau"},
    "sector_health": {"en": "health", "fr": "santé"},
    "sector_education": {"en": "education", "fr": "éducation"},
    "sector_energy": {"en": "energy", "fr": "énergie"},
    "sector_agriculture": {"en": "agriculture", "fr": "agriculture"},
    # ---- the summary ---------------------------------------------------------------
    "summary": {"en": "Summary", "fr": "Résumé"},
    "sum_public": {
        "en": "Over {years} years, {name} pays out {public} of public money {public_range}, technical "
        "assistance included.",
        "fr": "Sur {years} ans, {name} verse {public} d'argent public {public_range}, assistance technique comprise.",
    },
    "sum_no_programme": {
        "en": "{name} has no co-financing programme: it pays no public money into projects.",
        "fr": "{name} n'a pas de programme de cofinancement : aucun argent public n'est versé aux projets.",
    },
    "sum_outputs": {
        "en": "Associations complete {projects} projects {projects_range}, {projects_diff}, and {people} people "
        "are reached by working projects at the end {people_range}, {people_diff}.",
        "fr": "Les associations achèvent {projects} projets {projects_range}, {projects_diff}, et {people} "
        "personnes sont atteintes par des ouvrages en état de marche à la fin {people_range}, "
        "{people_diff}.",
    },
    "diff_more": {
        "en": "{value} more than in the baseline {range}",
        "fr": "{value} de plus que dans la référence {range}",
    },
    "diff_fewer": {
        "en": "{value} fewer than in the baseline {range}",
        "fr": "{value} de moins que dans la référence {range}",
    },
    "diff_none": {
        "en": "no clear difference from the baseline (the 90 % range of the difference, {range}, includes zero)",
        "fr": "sans écart net avec la référence (l'intervalle à 90 % de l'écart, {range}, contient zéro)",
    },
    "sum_cost": {
        "en": "Each additional person reached costs {cost} FCFA of programme money {cost_range}, {cost_public} "
        "FCFA counting the communes' share; {built_anyway} of the co-financed projects would have been "
        "built anyway.",
        "fr": "Chaque personne atteinte en plus coûte {cost} FCFA du programme {cost_range}, {cost_public} FCFA "
        "en comptant la part des communes ; {built_anyway} des projets cofinancés auraient été construits "
        "de toute façon.",
    },
    "sum_unspent": {
        "en": "{unspent} of the money made available ({available}) is not paid out by the end.",
        "fr": "{unspent} de l'argent mis à disposition ({available}) n'est pas versé à la fin.",
    },
    "sum_loan": {
        "en": "A loan adds {loan} to the programme's money; within the horizon {service} is repaid in interest "
        "and principal. Counting the loan at its cost (debt service in place of the money drawn), each "
        "additional person reached costs {cost} FCFA of public money.",
        "fr": "Un prêt apporte {loan} au programme ; {service} sont remboursés (intérêts et principal) pendant "
        "la période simulée. En comptant le prêt à son coût (le service de la dette au lieu de l'argent "
        "décaissé), chaque personne atteinte en plus coûte {cost} FCFA d'argent public.",
    },
    "loan_not_drawn": {
        "en": "The loan of {amount} was not drawn: a loan is drawn only when a call accepts a project that the "
        "programme's budget cannot cover, and in its {years} years of availability the budget, with what it "
        "carried over, covered every accepted project.",
        "fr": "Le prêt de {amount} n'a pas été décaissé : un prêt n'est tiré que lorsqu'un appel retient un projet "
        "que le budget du programme ne peut couvrir, et pendant ses {years} années de disponibilité le budget, "
        "avec ses reports, a couvert tous les projets retenus.",
    },
    "sum_fees": {
        "en": "Households receive {receipts} more in remittances than in the baseline {receipts_range}: "
        "fees take {fees} of individual remittances ({baseline_fees} in the baseline).",
        "fr": "Les ménages reçoivent {receipts} de plus en envois que dans la référence {receipts_range} : "
        "les frais prélèvent {fees} des envois individuels ({baseline_fees} dans la référence).",
    },
    "sum_gini": {
        "en": "Across communes, the Gini coefficient of people served per inhabitant is {gini} ({baseline_gini} "
        "in the baseline; 0 means every commune gained alike).",
        "fr": "Entre communes, le coefficient de Gini des personnes desservies par habitant vaut {gini} "
        "({baseline_gini} dans la référence ; 0 signifie que toutes les communes ont gagné autant).",
    },
    # ---- financing -----------------------------------------------------------------
    "financing": {"en": "Financing plan", "fr": "Plan de financement"},
    "financing_intro": {
        "en": "Totals over the {years} years simulated. Who paid for the projects counts all money paid into "
        "projects, those still under way and those associations financed alone included; where the "
        "programme's money came from is the grant budget it opened and the loan money drawn.",
        "fr": "Totaux sur les {years} années simulées. « Qui a payé les projets » compte tout l'argent versé "
        "aux projets, y compris ceux en cours et ceux que les associations ont financés seules ; "
        "« d'où vient l'argent du programme » est le budget de subvention ouvert et l'argent du prêt "
        "décaissé.",
    },
    "financing_caption": {"en": "Financing plan of {name}", "fr": "Plan de financement de {name}"},
    "fin_uses": {"en": "Who paid for the projects", "fr": "Qui a payé les projets"},
    "fin_sources": {"en": "Where the programme's money came from", "fr": "D'où vient l'argent du programme"},
    "fin_programme": {"en": "programme grants", "fr": "subventions du programme"},
    "fin_communes": {"en": "communes", "fr": "communes"},
    "fin_diaspora": {"en": "diaspora associations", "fr": "associations de la diaspora"},
    "fin_total": {"en": "total paid into projects", "fr": "total versé aux projets"},
    "fin_grant_budget": {
        "en": "grant budget opened (state and donors)",
        "fr": "budget de subvention ouvert (État et bailleurs)",
    },
    "fin_loan": {
        "en": "loan drawn (other funders: regional bank)",
        "fr": "prêt décaissé (autres bailleurs : banque régionale)",
    },
    "fin_available": {"en": "money made available", "fr": "argent mis à disposition"},
    "fin_paid": {
        "en": "paid out: grants and technical assistance",
        "fr": "versé : subventions et assistance technique",
    },
    "fin_ta": {"en": "of which technical assistance", "fr": "dont assistance technique"},
    "fin_unspent": {"en": "share left unspent at the end", "fr": "part non dépensée à la fin"},
    "fin_no_programme": {
        "en": "No programme: the associations paid for their projects alone.",
        "fr": "Pas de programme : les associations ont payé seules leurs projets.",
    },
    # ---- schedule -----------------------------------------------------------------
    "schedule": {"en": "Yearly disbursement", "fr": "Décaissements annuels"},
    "schedule_intro": {
        "en": "Million FCFA paid in each year of the programme (mean over replicates); the public money paid "
        "(grants and technical assistance) with its 90 % range, and the budget not yet committed at the "
        "end of the year.",
        "fr": "Millions de FCFA versés chaque année du programme (moyenne sur les réplications) ; l'argent "
        "public versé (subventions et assistance technique) avec son intervalle à 90 %, et le budget "
        "non encore engagé à la fin de l'année.",
    },
    "schedule_caption": {
        "en": "Yearly disbursement of {name} (M FCFA)",
        "fr": "Décaissements annuels de {name} (M FCFA)",
    },
    "sch_grants": {"en": "grants", "fr": "subventions"},
    "sch_ta": {"en": "technical assistance", "fr": "assistance technique"},
    "sch_communes": {"en": "communes", "fr": "communes"},
    "sch_diaspora": {"en": "associations", "fr": "associations"},
    "sch_loan": {"en": "loan drawn", "fr": "prêt décaissé"},
    "sch_debt": {"en": "debt service", "fr": "service de la dette"},
    "sch_public_range": {"en": "public money paid [90 % range]", "fr": "argent public versé [intervalle à 90 %]"},
    "sch_uncommitted": {"en": "uncommitted budget at year end", "fr": "budget non engagé en fin d'année"},
    "sch_total": {"en": "total", "fr": "total"},
    "funders": {"en": "Who pays, year by year", "fr": "Qui paie, année par année"},
    "funders_intro": {
        "en": "Million FCFA of public money (grants, technical assistance, skills missions and reinsertion "
        "grants) paid by each funder's programmes in each year (mean over replicates). A programme financed "
        "by a loan is counted under its lender; its debt service falls on the borrower's budget.",
        "fr": "Millions de FCFA d'argent public (subventions, assistance technique, missions de compétences et "
        "aides à la réinsertion) versés par les programmes de chaque bailleur, année par année (moyenne sur "
        "les réplications). Un programme financé par un prêt est compté sous son prêteur ; le service de sa "
        "dette est à la charge du budget de l'emprunteur.",
    },
    "rules": {"en": "Rules that react", "fr": "Règles qui réagissent"},
    "rules_intro": {
        "en": "The scenario's rules: when what they watch crosses its threshold, they change the programme "
        "(an extra call, a repair fund, a pause...). How many replicates saw each fire, and in which years.",
        "fr": "Les règles du scénario : quand ce qu'elles observent franchit son seuil, elles modifient le "
        "programme (un appel supplémentaire, un fonds de réparation, une pause...). Combien de réplications "
        "ont vu chacune se déclencher, et en quelles années.",
    },
    "rules_caption": {"en": "Rules that fired, {name}", "fr": "Règles déclenchées, {name}"},
    "rule_name": {"en": "rule", "fr": "règle"},
    "rule_action": {"en": "action", "fr": "action"},
    "rule_replicates": {"en": "replicates where it fired", "fr": "réplications où elle s'est déclenchée"},
    "rule_years": {"en": "years it fired", "fr": "années de déclenchement"},
    "funders_caption": {
        "en": "Public money paid by funder, {name} (M FCFA)",
        "fr": "Argent public versé par bailleur, {name} (M FCFA)",
    },
    "schedule_chart_title": {
        "en": "Money paid each year (mean over replicates)",
        "fr": "Montants versés chaque année (moyenne sur les réplications)",
    },
    "axis_year": {"en": "year of the programme", "fr": "année du programme"},
    "axis_m_fcfa": {"en": "million FCFA", "fr": "millions de FCFA"},
    # ---- outputs -------------------------------------------------------------------
    "outputs": {"en": "Expected outputs", "fr": "Résultats attendus"},
    "outputs_intro": {
        "en": "Projects completed over the {years} years and people served by working projects at the end, by "
        'sector; the columns "added" are the differences to the baseline, replicate by replicate.',
        "fr": "Projets achevés sur les {years} années et personnes desservies par des ouvrages en état de marche "
        "à la fin, par secteur ; les colonnes « en plus » sont les écarts à la référence, réplication par "
        "réplication.",
    },
    "outputs_caption": {"en": "Expected outputs of {name} by sector", "fr": "Résultats attendus de {name} par secteur"},
    "out_projects_added": {"en": "projects: added", "fr": "projets : en plus"},
    "out_people_added": {"en": "people served: added", "fr": "personnes desservies : en plus"},
    "people_chart_title": {
        "en": "People served by working projects",
        "fr": "Personnes desservies par des ouvrages en état de marche",
    },
    "axis_years": {"en": "years since start", "fr": "années depuis le début"},
    "axis_people": {"en": "people", "fr": "personnes"},
    "legend_band": {"en": "mean, 90 % band", "fr": "moyenne, bande à 90 %"},
    "people_chart_caption": {
        "en": "People served over time: {name} and the baseline (mean and 90 % band)",
        "fr": "Personnes desservies au fil du temps : {name} et la référence (moyenne et bande à 90 %)",
    },
    # ---- cost-effectiveness -----------------------------------------------------------
    "cost": {"en": "Cost-effectiveness", "fr": "Coût-efficacité"},
    "cost_caption": {"en": "Cost-effectiveness of {name}", "fr": "Coût-efficacité de {name}"},
    "cost_public": {"en": "public money paid (M FCFA)", "fr": "argent public versé (M FCFA)"},
    "cost_value": {"en": "value of completed projects (M FCFA)", "fr": "valeur des projets achevés (M FCFA)"},
    "cost_leverage": {
        "en": "diaspora and commune FCFA in co-financed projects per grant FCFA",
        "fr": "FCFA de la diaspora et des communes dans les projets cofinancés par FCFA de subvention",
    },
    "cost_per_person": {
        "en": "programme FCFA per additional person reached (paired)",
        "fr": "FCFA du programme par personne atteinte en plus (apparié)",
    },
    "cost_per_person_public": {
        "en": "public FCFA per additional person reached, communes included (paired)",
        "fr": "FCFA publics par personne atteinte en plus, communes comprises (apparié)",
    },
    "cost_per_project": {
        "en": "programme M FCFA per additional working project (paired)",
        "fr": "M FCFA du programme par ouvrage en service en plus (apparié)",
    },
    "cost_built_anyway": {
        "en": "share of co-financed projects built anyway (paired)",
        "fr": "part des projets cofinancés construits de toute façon (apparié)",
    },
    "cost_months": {
        "en": "months from a project's idea to its completion",
        "fr": "mois de l'idée d'un projet à son achèvement",
    },
    "cost_note": {
        "en": "The paired rows divide the public money the policy adds to the baseline by the people or working "
        "projects it adds (∞: some replicates add nobody); they never credit the policy with what the "
        "baseline has too.",
        "fr": "Les lignes appariées divisent l'argent public que la politique ajoute à la référence par les "
        "personnes ou ouvrages en service qu'elle ajoute (∞ : certaines réplications n'en ajoutent aucun) ; "
        "elles n'attribuent jamais à la politique ce que la référence a aussi.",
    },
    # ---- unspent --------------------------------------------------------------------
    "unspent": {"en": "Budget left unspent", "fr": "Budget non dépensé"},
    "unspent_text": {
        "en": "Of {available} made available (grant budget opened and loan money drawn), {paid} was paid out: "
        "{unspent} was left unspent at the end {unspent_range}. Money committed to projects but not yet "
        "paid counts as unspent. {carry}",
        "fr": "Sur {available} mis à disposition (budget de subvention ouvert et prêt décaissé), {paid} ont été "
        "versés : {unspent} n'ont pas été dépensés à la fin {unspent_range}. L'argent engagé pour des "
        "projets mais pas encore versé compte comme non dépensé. {carry}",
    },
    "carry_none": {
        "en": "Under this programme's rule, budget not committed in its year lapses.",
        "fr": "Selon la règle de ce programme, le budget non engagé dans l'année est perdu.",
    },
    "carry_full": {
        "en": "Under this programme's rule, budget not committed in its year carries over to the next.",
        "fr": "Selon la règle de ce programme, le budget non engagé dans l'année est reporté à la suivante.",
    },
    # ---- communes -------------------------------------------------------------------
    "communes": {"en": "Spread over communes", "fr": "Répartition entre communes"},
    "communes_intro": {
        "en": "How evenly the people served per inhabitant are spread over the {communes} communes at the end: "
        "the Gini coefficient (0: every commune gained alike, towards 1: one commune gained everything), "
        "and the communes with at least one working project.",
        "fr": "Régularité de la répartition des personnes desservies par habitant entre les {communes} communes "
        "à la fin : le coefficient de Gini (0 : toutes les communes ont gagné autant, vers 1 : une seule "
        "commune a tout gagné), et les communes ayant au moins un ouvrage en état de marche.",
    },
    "communes_caption": {"en": "Spread of {name} over communes", "fr": "Répartition de {name} entre communes"},
    "com_gini": {"en": "Gini of people served per inhabitant", "fr": "Gini des personnes desservies par habitant"},
    "com_working": {"en": "communes with a working project", "fr": "communes ayant un ouvrage en état de marche"},
    "lorenz_title": {
        "en": "People served per inhabitant across communes (Lorenz curve)",
        "fr": "Personnes desservies par habitant entre communes (courbe de Lorenz)",
    },
    "lorenz_x": {
        "en": "share of communes, least served first",
        "fr": "part des communes, les moins desservies d'abord",
    },
    "lorenz_y": {"en": "share of people served per inhabitant", "fr": "part des personnes desservies par habitant"},
    "lorenz_equal": {"en": "every commune alike", "fr": "toutes les communes pareilles"},
    "lorenz_caption": {
        "en": "Lorenz curves of people served per inhabitant at the end (commune means over replicates)",
        "fr": "Courbes de Lorenz des personnes desservies par habitant à la fin (moyennes par commune sur les réplications)",
    },
    # ---- loan ----------------------------------------------------------------------
    "loan": {"en": "The regional-bank loan", "fr": "Le prêt de la banque régionale"},
    "loan_intro": {
        "en": "The programme's budget is partly financed by a loan. Its terms are the scenario's assumptions; "
        "drawdowns and debt service are the model's, within the {years} years simulated (repayments due "
        "later are not shown).",
        "fr": "Le budget du programme est financé en partie par un prêt. Ses conditions sont des hypothèses du "
        "scénario ; les décaissements et le service de la dette sont ceux du modèle, sur les {years} années "
        "simulées (les remboursements dus après ne sont pas montrés).",
    },
    "loan_terms_caption": {
        "en": "Terms of the loan in {name} (assumptions of the scenario)",
        "fr": "Conditions du prêt de {name} (hypothèses du scénario)",
    },
    "loan_programme": {"en": "programme", "fr": "programme"},
    "loan_amount": {"en": "amount (M FCFA)", "fr": "montant (M FCFA)"},
    "loan_rate": {"en": "interest rate a year", "fr": "taux d'intérêt annuel"},
    "loan_grace": {"en": "grace period (years, interest only)", "fr": "différé (années, intérêts seuls)"},
    "loan_tenor": {"en": "tenor (years, grace included)", "fr": "durée (années, différé compris)"},
    "loan_schedule_shares": {"en": "drawdown by programme year", "fr": "décaissement par année du programme"},
    "loan_buys_caption": {"en": "What the loan buys in {name}", "fr": "Ce que le prêt achète dans {name}"},
    "loan_drawn_total": {"en": "loan drawn (M FCFA)", "fr": "prêt décaissé (M FCFA)"},
    "loan_service_total": {
        "en": "debt service paid within the horizon (M FCFA)",
        "fr": "service de la dette payé sur la période (M FCFA)",
    },
    "loan_projects_vs": {
        "en": "projects completed added to {ref} (paired)",
        "fr": "projets achevés en plus de {ref} (apparié)",
    },
    "loan_extra_vs": {
        "en": "people reached added to {ref} (paired)",
        "fr": "personnes atteintes en plus de {ref} (apparié)",
    },
    "loan_counterpart": {
        "en": "{ref} is the same programme without the loan (it differs only in the loan and the budget "
        "settings), so the difference to it is what the loan buys.",
        "fr": "{ref} est le même programme sans le prêt (seuls le prêt et les règles de budget diffèrent) : "
        "l'écart avec lui est ce que le prêt achète.",
    },
    "loan_no_counterpart": {
        "en": "The file has no run of the same programme without the loan; what the loan buys is measured "
        "against the baseline, which has no programme at all.",
        "fr": "Le fichier ne contient pas le même programme sans prêt ; ce que le prêt achète est mesuré par "
        "rapport à la référence, qui n'a aucun programme.",
    },
    "loan_yearly_caption": {
        "en": "Loan drawdown, debt service and people served, by year, in {name}",
        "fr": "Décaissement du prêt, service de la dette et personnes desservies, par année, dans {name}",
    },
    "loan_people_end": {"en": "people served at year end", "fr": "personnes desservies en fin d'année"},
    "loan_people_added": {"en": "people served added to {ref}", "fr": "personnes desservies en plus de {ref}"},
    "loan_chart_title": {
        "en": "Loan drawn and debt service (bars), people served added (line)",
        "fr": "Prêt décaissé et service de la dette (barres), personnes desservies en plus (courbe)",
    },
    "axis_people_added": {"en": "people served added", "fr": "personnes desservies en plus"},
    # ---- risks ----------------------------------------------------------------------
    "risks": {"en": "Risks", "fr": "Risques"},
    "risks_intro": {
        "en": "How the outputs move when the world turns worse: a host-country recession, and a higher hazard "
        "that projects fail during implementation. A risk run is a scenario of the file that differs from "
        "another only by the shock or by higher failure hazards; the change is paired, replicate by "
        "replicate.",
        "fr": "Comment les résultats évoluent quand le contexte se dégrade : une récession dans les pays "
        "d'accueil, et un risque plus élevé d'échec des projets en cours de réalisation. Une exécution de "
        "risque est un scénario du fichier qui ne diffère d'un autre que par le choc ou par des risques "
        "d'échec plus élevés ; l'écart est apparié, réplication par réplication.",
    },
    "risk_recession": {"en": "Host-country recession", "fr": "Récession dans les pays d'accueil"},
    "risk_failure": {"en": "Higher failure hazard", "fr": "Risque d'échec plus élevé"},
    "risk_other": {"en": "Other risk scenario", "fr": "Autre scénario de risque"},
    "risk_caption": {"en": "{risk}: {variant} against {reference}", "fr": "{risk} : {variant} comparé à {reference}"},
    "risk_for_policy": {
        "en": "{variant} is {reference} under this risk.",
        "fr": "{variant} est {reference} soumis à ce risque.",
    },
    "risk_for_baseline_only": {
        "en": "The file has no run of {name} under this risk. {variant} is the baseline under it: it shows how "
        "the world without a programme moves, not how this policy would.",
        "fr": "Le fichier ne contient pas {name} soumis à ce risque. {variant} est la référence soumise à ce "
        "risque : il montre comment évolue le monde sans programme, non cette politique.",
    },
    "risk_missing": {
        "en": "Not in this file: no scenario differs from {name} or from the baseline only by {what}. To "
        "include it, run a scenario that extends {name}'s file with {how} together with the others, "
        "then make the brief again.",
        "fr": "Absent de ce fichier : aucun scénario ne diffère de {name} ou de la référence par {what} "
        "seulement. Pour l'inclure, exécuter avec les autres un scénario qui étend le fichier de {name} "
        "avec {how}, puis refaire la note.",
    },
    "risk_what_recession": {"en": "a host-country recession", "fr": "une récession dans les pays d'accueil"},
    "risk_how_recession": {
        "en": 'a [[shocks]] table of kind "host_recession" (as scenarios/recession-shock.toml)',
        "fr": "une table [[shocks]] de type « host_recession » (comme scenarios/recession-shock.toml)",
    },
    "risk_what_failure": {"en": "higher failure hazards", "fr": "des risques d'échec plus élevés"},
    "risk_how_failure": {
        "en": "higher sectors.*.abandonment_hazard values",
        "fr": "des valeurs sectors.*.abandonment_hazard plus élevées",
    },
    "risk_other_diff": {
        "en": "{variant} differs from {reference} in: {keys}.",
        "fr": "{variant} diffère de {reference} par : {keys}.",
    },
    "risk_shock_terms": {"en": "The shock: {terms}.", "fr": "Le choc : {terms}."},
    "risk_failure_terms": {"en": "Failure hazards: {terms}.", "fr": "Risques d'échec : {terms}."},
    "col_under_risk": {"en": "under the risk", "fr": "sous le risque"},
    "col_change": {"en": "change (paired)", "fr": "écart (apparié)"},
    "col_change_pct": {"en": "change of the mean", "fr": "écart de la moyenne"},
    # ---- method ---------------------------------------------------------------------
    "method": {"en": "Method and provenance", "fr": "Méthode et provenance"},
    "method_model": {
        "en": "codev is an agent-based model: month by month it simulates migrants' work and remittances, their "
        "hometown associations' fundraising and projects, the programmes that co-finance them and what "
        "the projects deliver in the origin communes. It is described in {link} (ODD protocol). The "
        "numbers rest on the assumptions of each scenario file, whose comments give a source or say "
        '"assumption" for every figure; quote none without reading them.',
        "fr": "codev est un modèle multi-agents : mois par mois, il simule le travail et les envois des migrants, "
        "les collectes et les projets de leurs associations de ressortissants, les programmes qui les "
        "cofinancent et ce que les projets apportent aux communes d'origine. Il est décrit dans {link} "
        "(protocole ODD). Les nombres reposent sur les hypothèses de chaque fichier de scénario, dont les "
        "commentaires donnent une source ou disent « assumption » pour chaque valeur ; n'en citer aucun "
        "sans les lire.",
    },
    "method_link_text": {
        "en": "the model description (docs/model.md)",
        "fr": "la description du modèle (docs/model.md)",
    },
    "prov_caption": {"en": "Provenance of the results", "fr": "Provenance des résultats"},
    "prov_file": {"en": "results file", "fr": "fichier de résultats"},
    "prov_written_by": {"en": "written by codev", "fr": "écrit par codev"},
    "prov_commit": {"en": "git commit", "fr": "commit git"},
    "prov_created": {"en": "written on", "fr": "écrit le"},
    "prov_command": {"en": "command", "fr": "commande"},
    "prov_seed": {"en": "seed", "fr": "graine"},
    "prov_replicates": {"en": "replicates per scenario", "fr": "réplications par scénario"},
    "prov_format": {"en": "results format version", "fr": "version du format de résultats"},
    "prov_report": {"en": "brief made by", "fr": "note établie par"},
    "hash_caption": {
        "en": "Scenarios: SHA-256 of each scenario's full text as stored in the file",
        "fr": "Scénarios : SHA-256 du texte complet de chaque scénario tel qu'il est stocké dans le fichier",
    },
    "hash_role": {"en": "role", "fr": "rôle"},
    "role_baseline": {"en": "baseline", "fr": "référence"},
    "role_policy": {"en": "policy", "fr": "politique"},
    "role_risk": {"en": "risk run", "fr": "exécution de risque"},
    "role_other": {"en": "not in the brief", "fr": "hors de la note"},
    "hash_months": {"en": "months", "fr": "mois"},
    # ---- words used inside sentences --------------------------------------------------------
    "money_bn": {"en": "{value} bn FCFA", "fr": "{value} milliards de FCFA"},
    "money_m": {"en": "{value} M FCFA", "fr": "{value} M FCFA"},
    "money_fcfa": {"en": "{value} FCFA", "fr": "{value} FCFA"},
}


def text(key: str, lang: str, **fields) -> str:
    """The text of ``key`` in ``lang``, its ``{fields}`` filled."""
    template = TEXT[key][lang]
    return template.format(**fields) if fields else template


def number(value, lang: str, digits: int = 0) -> str:
    """``value`` with ``digits`` decimals and the language's separators: 12,345.6
    in English, 12 345,6 in French (narrow no-break space); a minus sign for
    negative numbers; a dash for NaN; ∞ for an unbounded value (a cost per
    additional person where some replicates add nobody)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return TEXT["not_available"][lang]
    value = float(value)
    if math.isinf(value):
        return ("\u2212" if value < 0 else "") + "∞"
    if round(value, digits) == 0:
        value = 0.0  # no "-0"
    written = f"{abs(value):,.{digits}f}"
    if lang == "fr":
        written = written.replace(",", "\u202f").replace(".", ",")
    return ("\u2212" if value < 0 else "") + written


def percent(share, lang: str, digits: int = 1) -> str:
    """A share (0..1) as a percentage: 12.5% in English, 12,5 % in French."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return TEXT["not_available"][lang]
    return number(100.0 * share, lang, digits) + ("\u202f%" if lang == "fr" else "%")
