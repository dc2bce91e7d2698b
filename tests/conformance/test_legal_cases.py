"""Classification cases a lawyer can read: facts in Turtle, the date the law is read on, the
expected categories, grounds and obligations (with article and date of application), and one
line of legal reasoning citing the provision. Dates come from docs/research/eu-ai-act-amendments.md
(row in brackets). Three as-of dates: before 2 December 2027, between, after 2 August 2028."""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox
import pytest

from aims_graph.classification import classify
from aims_graph.store import open_store

BEFORE, BETWEEN, AFTER = dt.date(2027, 6, 1), dt.date(2028, 1, 15), dt.date(2028, 9, 1)
HEAD = """@prefix aims: <https://w3id.org/aims-graph/ontology#> .
@prefix eu: <https://w3id.org/aims-graph/eu-ai-act/> .
@prefix ex: <https://example.org/case/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:Us a aims:Organisation . ex:AIMS a aims:AIManagementSystem ; aims:operatedBy ex:Us .
"""

# (name, facts about ex:S, as-of, categories, grounds (subset), {article: (applies_from, applies)}, reasoning)
CASES = [
    ("annex-iii-4a-before", "aims:annexIIIUseCase eu:Annex-III-point-4-a ; aims:provider ex:Us", BEFORE,
     ["HighRiskAnnexIII"], {"Annex III point 4(a)", "Article 6(2)"}, {"Article 9": ("2027-12-02", False)},
     "Art. 6(2) + Annex III 4(a) make it high-risk; Chapter III Section 2 applies from 2 Dec 2027 (C4)."),
    ("annex-iii-4a-between", "aims:annexIIIUseCase eu:Annex-III-point-4-a ; aims:provider ex:Us", BETWEEN,
     ["HighRiskAnnexIII"], {"Article 6(2)"}, {"Article 9": ("2027-12-02", True), "Article 16": ("2027-12-02", True)},
     "After 2 Dec 2027 the Annex III provider duties apply (Art. 113(c)(i) as amended, C4)."),
    ("annex-iii-deployer-86", "aims:annexIIIUseCase eu:Annex-III-point-5-b ; aims:deployer ex:Us ; aims:decidesAboutNaturalPersons true",
     AFTER, ["HighRiskAnnexIII"], {"Annex III point 5(b)"},
     {"Article 86": ("2026-08-02", True), "Article 26(11)": ("2027-12-02", True), "Article 26(1)": ("2027-12-02", True)},
     "A deployer of an Annex III 5(b) system deciding about persons must inform them (Art. 26(11)) and explain decisions (Art. 86)."),
    ("annex-iii-point-2-no-86", "aims:annexIIIUseCase eu:Annex-III-point-2 ; aims:deployer ex:Us ; aims:decidesAboutNaturalPersons true",
     AFTER, ["HighRiskAnnexIII"], {"Annex III point 2"}, {"Article 86": None},
     "Art. 86 does not cover Annex III point 2 (critical infrastructure) systems."),
    ("workplace-26-7", "aims:annexIIIUseCase eu:Annex-III-point-4-b ; aims:deployer ex:Us ; aims:usedAtWorkplace true",
     AFTER, ["HighRiskAnnexIII"], set(), {"Article 26(7)": ("2027-12-02", True)},
     "An employer deploying a high-risk system at the workplace informs workers first (Art. 26(7))."),
    ("no-workplace-no-26-7", "aims:annexIIIUseCase eu:Annex-III-point-4-b ; aims:deployer ex:Us ; aims:usedAtWorkplace false",
     AFTER, ["HighRiskAnnexIII"], set(), {"Article 26(7)": None},
     "Art. 26(7) binds only deployers using the system at the workplace."),
    ("annex-i-safety-component-A", "aims:safetyComponentOfProduct true ; aims:requiresThirdPartyConformityAssessment true ; "
     "aims:coveredByAnnexI eu:Annex-I-Section-A-point-2 ; aims:provider ex:Us", BETWEEN,
     ["HighRiskAnnexI"], {"Article 6(1)", "Annex I Section A point 2"}, {"Article 9": ("2028-08-02", False)},
     "Safety component of a Section A product with third-party assessment: Art. 6(1); duties from 2 Aug 2028 (C5)."),
    ("annex-i-product-itself", "aims:isAnnexIProduct true ; aims:requiresThirdPartyConformityAssessment true ; "
     "aims:coveredByAnnexI eu:Annex-I-Section-A-point-2 ; aims:provider ex:Us", AFTER,
     ["HighRiskAnnexI"], {"Article 6(1)"}, {"Article 9": ("2028-08-02", True)},
     "A system that is itself an Annex I product needing third-party assessment is high-risk (Art. 6(1)(a)-(b))."),
    ("annex-i-no-third-party", "aims:isAnnexIProduct true ; aims:requiresThirdPartyConformityAssessment false ; "
     "aims:coveredByAnnexI eu:Annex-I-Section-A-point-2 ; aims:provider ex:Us", AFTER,
     ["MinimalRisk"], set(), {"Article 9": None, "Article 4": ("2026-07-27", True)},
     "Without third-party conformity assessment Art. 6(1)(b) is not met."),
    ("annex-i-non-safety-assessment", "aims:isAnnexIProduct true ; aims:requiresThirdPartyConformityAssessment true ; "
     "aims:thirdPartyAssessmentOnlyForNonSafetyReasons true ; aims:coveredByAnnexI eu:Annex-I-Section-A-point-2 ; aims:provider ex:Us",
     AFTER, ["MinimalRisk"], set(), {"Article 9": None},
     "As amended, an assessment needed only for non-safety reasons does not satisfy Art. 6(1)(b) (B13)."),
    ("section-b-only-2-2", "aims:safetyComponentOfProduct true ; aims:requiresThirdPartyConformityAssessment true ; "
     "aims:coveredByAnnexI eu:Annex-I-Section-B-point-13 ; aims:provider ex:Us", AFTER,
     ["HighRiskAnnexI"], {"Article 6(1)", "Article 2(2)"}, {"Article 9": None, "Article 4": None},
     "Section B: classified under Art. 6(1) but only the provisions Art. 2(2) lists apply; no Chapter III duty (B2)."),
    ("machinery-directive-gone", "aims:safetyComponentOfProduct true ; aims:requiresThirdPartyConformityAssessment true ; "
     "aims:coveredByAnnexI eu:Annex-I-Section-A-point-1 ; aims:provider ex:Us", AFTER,
     ["MinimalRisk"], set(), {"Article 9": None},
     "Directive 2006/42/EC was deleted from Annex I Section A by 2026/1744 (B38)."),
    ("machinery-regulation-section-b", "aims:safetyComponentOfProduct true ; aims:requiresThirdPartyConformityAssessment true ; "
     "aims:coveredByAnnexI eu:Annex-I-Section-B-point-21 ; aims:provider ex:Us", AFTER,
     ["HighRiskAnnexI"], {"Annex I Section B point 21", "Article 2(2)"}, {"Article 9": None},
     "Regulation (EU) 2023/1230 sits in Section B as amended (B39): Art. 2(2) limits what applies."),
]
for letter in "abcd":
    CASES.append((f"article-6-3-{letter}", f"aims:annexIIIUseCase eu:Annex-III-point-4-a ; aims:article6_3Exception eu:Article-6-3-{letter} ; "
                  "aims:performsProfiling false ; aims:provider ex:Us", BEFORE, ["NotHighRiskArticle6_3"],
                  {"Article 6(3)", f"Article 6(3)({letter})"},
                  {"Article 6(4)": ("2026-08-02", True), "Article 49(2)": ("2026-08-02", True), "Article 9": None},
                  f"Art. 6(3)({letter}) claimed without profiling: not high-risk, but document (Art. 6(4)) and register (Art. 49(2), not amended, B22)."))
    CASES.append((f"article-6-3-{letter}-profiling", f"aims:annexIIIUseCase eu:Annex-III-point-4-a ; aims:article6_3Exception eu:Article-6-3-{letter} ; "
                  "aims:performsProfiling true ; aims:provider ex:Us", BETWEEN, ["HighRiskAnnexIII"], {"Article 6(3)"},
                  {"Article 9": ("2027-12-02", True), "Article 6(4)": None},
                  f"Profiling keeps the system high-risk whatever Art. 6(3)({letter}) says (Art. 6(3), last subparagraph)."))
for letter in "abcdegh":
    CASES.append((f"article-5-1-{letter}", f"aims:prohibitedPractice eu:Article-5-1-{letter} ; aims:provider ex:Us", BEFORE,
                  ["Prohibited"], {f"Article 5(1)({letter})"}, {"Article 5": ("2025-02-02", True)},
                  f"Art. 5(1)({letter}) is prohibited from 2 February 2025 (C2)."))
CASES += [
    ("article-5-1-f", "aims:prohibitedPractice eu:Article-5-1-f ; aims:provider ex:Us", BEFORE, ["Prohibited"],
     {"Article 5(1)(f)"}, {"Article 5": ("2025-02-02", True)}, "Emotion recognition at work or in education is prohibited (Art. 5(1)(f))."),
    ("article-5-1-f-medical", "aims:prohibitedPractice eu:Article-5-1-f ; aims:medicalOrSafetyPurpose true ; aims:provider ex:Us",
     BEFORE, ["MinimalRisk"], {"Article 5(1)(f)"}, {"Article 5": None}, "Art. 5(1)(f) excepts medical or safety reasons."),
    ("article-5-1-ba", "aims:prohibitedPractice eu:Article-5-1-ba ; aims:provider ex:Us", BEFORE, ["Prohibited"],
     {"Article 5(1)(ba)"}, {"Article 5": ("2026-12-02", True)}, "Non-consensual intimate imagery is prohibited from 2 Dec 2026 (B9, C3)."),
    ("article-5-1-bb", "aims:prohibitedPractice eu:Article-5-1-bb ; aims:provider ex:Us", AFTER, ["Prohibited"],
     {"Article 5(1)(bb)"}, {"Article 5": ("2026-12-02", True)}, "Child sexual abuse material generation is prohibited from 2 Dec 2026 (B10, C3)."),
    ("chatbot-provider", "aims:interactsWithNaturalPersons true ; aims:provider ex:Us", BEFORE, ["TransparencyObligations"],
     {"Article 50(1)"}, {"Article 50(1)": ("2026-08-02", True), "Article 50(5)": ("2026-08-02", True), "Article 4": ("2026-07-27", True)},
     "Provider of an interactive system: Art. 50(1), timing Art. 50(5); AI literacy (Art. 4) is not dropped."),
    ("deep-fake-deployer", "aims:generatesDeepFakes true ; aims:deployer ex:Us", BEFORE, ["TransparencyObligations"],
     {"Article 50(4)"}, {"Article 50(4)": ("2026-08-02", True), "Article 50(5)": ("2026-08-02", True)},
     "A deployer publishing deep fakes discloses them (Art. 50(4)) at the latest at first exposure (Art. 50(5))."),
    ("synthetic-content-old-system", "aims:generatesSyntheticContent true ; aims:provider ex:Us ; aims:placedOnMarketOn \"2026-03-01\"^^xsd:date",
     dt.date(2026, 10, 1), ["TransparencyObligations"], {"Article 50(2)"}, {"Article 50(2)": ("2026-12-02", False)},
     "Generative system placed before 2 Aug 2026: Art. 50(2) from 2 Dec 2026 (Art. 111(4), C10)."),
    ("synthetic-content-new-system", "aims:generatesSyntheticContent true ; aims:provider ex:Us ; aims:placedOnMarketOn \"2026-09-01\"^^xsd:date",
     dt.date(2026, 10, 1), ["TransparencyObligations"], {"Article 50(2)"}, {"Article 50(2)": ("2026-08-02", True)},
     "Placed after 2 Aug 2026: Art. 50(2) applies from its general date (C9)."),
    ("emotion-deployer", "aims:isEmotionRecognitionSystem true ; aims:deployer ex:Us", AFTER, ["TransparencyObligations"],
     {"Article 50(3)"}, {"Article 50(3)": ("2026-08-02", True)}, "A deployer of emotion recognition informs the persons exposed (Art. 50(3))."),
    ("importer-high-risk", "aims:annexIIIUseCase eu:Annex-III-point-3-a ; aims:importer ex:Us", AFTER, ["HighRiskAnnexIII"],
     set(), {"Article 23": ("2027-12-02", True), "Article 9": None}, "An importer carries Art. 23, not the provider's Art. 9."),
    ("distributor-high-risk", "aims:annexIIIUseCase eu:Annex-III-point-3-a ; aims:distributor ex:Us", BETWEEN, ["HighRiskAnnexIII"],
     set(), {"Article 24": ("2027-12-02", True)}, "A distributor carries Art. 24 from 2 Dec 2027 (C4)."),
    ("gpai-system-is-a-system", "a aims:GeneralPurposeAISystem ; aims:interactsWithNaturalPersons true ; aims:provider ex:Us", AFTER,
     ["TransparencyObligations"], {"Article 50(1)"},
     {"Article 50(1)": ("2026-08-02", True), "Article 4": ("2026-07-27", True), "Article 53(1)(a)": None, "Article 55(1)": None},
     "A general-purpose AI system is an AI system (Art. 3(66)): Art. 50 and Art. 4 apply, the model duties of Art. 53-55 do not."),
    ("gpai-system-old-generator", "a aims:GeneralPurposeAISystem ; aims:generatesSyntheticContent true ; aims:provider ex:Us ; "
     "aims:placedOnMarketOn \"2026-05-01\"^^xsd:date", dt.date(2026, 11, 1), ["TransparencyObligations"], {"Article 50(2)"},
     {"Article 50(2)": ("2026-12-02", False)},
     "Art. 111(4) gives generative systems, general-purpose AI systems included, placed before 2 Aug 2026 until 2 Dec 2026 (B36, C10)."),
    ("minimal-risk", "aims:provider ex:Us", BEFORE, ["MinimalRisk"], set(), {"Article 4": ("2026-07-27", True)},
     "No fact places it under Art. 5, 6 or 50; Art. 4 as replaced applies since 27 July 2026 (B7, C15)."),
]

# Article 5: each exception with and without its conditions (B12: 5(1)(a)-(h) and 5(2)-(8) not amended; B11, C3 for 5(1a)/(1b)).
_RBI = "aims:prohibitedPractice eu:Article-5-1-h ; aims:deployer ex:Us"
_RBI_CONDITIONS = ("aims:permittedByNationalLaw true ; aims:priorAuthorisationGranted true ; "
                   "aims:fundamentalRightsImpactAssessed true ; aims:registeredInEUDatabase true")
CASES += [
    ("article-5-1-d-human-assessment", "aims:prohibitedPractice eu:Article-5-1-d ; aims:supportsHumanAssessmentOnFacts true ; aims:provider ex:Us",
     BEFORE, ["MinimalRisk"], {"Article 5(1)(d)"}, {"Article 5": None},
     "Art. 5(1)(d) does not cover support to a human assessment already based on objective, verifiable facts."),
    ("article-5-1-g-lawful-datasets", "aims:prohibitedPractice eu:Article-5-1-g ; aims:lawfulBiometricDataHandling true ; aims:provider ex:Us",
     BEFORE, ["MinimalRisk"], {"Article 5(1)(g)"}, {"Article 5": None},
     "Art. 5(1)(g) does not cover labelling or filtering of lawfully acquired biometric datasets."),
    ("article-5-1-h-i-all-conditions", f"{_RBI} ; aims:lawEnforcementObjective eu:Article-5-1-h-i ; {_RBI_CONDITIONS} ; "
     "aims:annexIIIUseCase eu:Annex-III-point-1-a", AFTER, ["HighRiskAnnexIII"],
     {"Article 5(1)(h)(i)", "Article 5(2)", "Article 5(3)", "Article 5(5)", "Annex III point 1(a)"},
     {"Article 5": None, "Article 26(1)": ("2027-12-02", True)},
     "Search for abduction victims (5(1)(h)(i)) under national law, FRIA, registration and prior authorisation (5(2), (3), (5)): not prohibited, high-risk under Annex III 1(a)."),
    ("article-5-1-h-ii-all-conditions", f"{_RBI} ; aims:lawEnforcementObjective eu:Article-5-1-h-ii ; {_RBI_CONDITIONS}", BEFORE,
     ["MinimalRisk"], {"Article 5(1)(h)(ii)"}, {"Article 5": None},
     "Preventing an imminent threat to life (5(1)(h)(ii)) with every condition of 5(2), (3) and (5) met: outside the prohibition."),
    ("article-5-1-h-iii-no-authorisation", f"{_RBI} ; aims:lawEnforcementObjective eu:Article-5-1-h-iii ; aims:permittedByNationalLaw true ; "
     "aims:fundamentalRightsImpactAssessed true ; aims:registeredInEUDatabase true", BEFORE, ["Prohibited"], {"Article 5(1)(h)"},
     {"Article 5": ("2025-02-02", True)},
     "Without prior judicial or independent authorisation (Art. 5(3)) the objective of 5(1)(h)(iii) does not lift the prohibition."),
    ("article-5-1-h-no-national-law", f"{_RBI} ; aims:lawEnforcementObjective eu:Article-5-1-h-ii ; aims:priorAuthorisationGranted true ; "
     "aims:fundamentalRightsImpactAssessed true ; aims:registeredInEUDatabase true", BEFORE, ["Prohibited"], {"Article 5(1)(h)"},
     {"Article 5": ("2025-02-02", True)}, "Without national law providing for the use (Art. 5(5)) the exceptions of 5(1)(h) cannot be relied on."),
    ("article-5-1-h-no-objective", f"{_RBI} ; {_RBI_CONDITIONS}", BEFORE, ["Prohibited"], {"Article 5(1)(h)"},
     {"Article 5": ("2025-02-02", True)}, "The conditions of Art. 5(2)-(5) help only a use strictly necessary for an objective of 5(1)(h)(i)-(iii)."),
    ("article-5-1-ba-safeguards", "aims:prohibitedPractice eu:Article-5-1-ba ; aims:safeguardsAgainstProhibitedOutput true ; aims:provider ex:Us",
     AFTER, ["MinimalRisk"], {"Article 5(1a)"}, {"Article 5": None},
     "Art. 5(1a): not intended and prevented by adequate safeguards, so not caught by 5(1)(ba) (B11)."),
    ("article-5-1-ba-no-increased-exposure", "aims:prohibitedPractice eu:Article-5-1-ba ; aims:manipulationWithoutIncreasedExposure true ; "
     "aims:provider ex:Us", AFTER, ["MinimalRisk"], {"Article 5(1b)"}, {"Article 5": None},
     "Art. 5(1b): manipulation without more exposure is not manipulation for 5(1)(ba) (B11)."),
    ("article-5-1-bb-safeguards", "aims:prohibitedPractice eu:Article-5-1-bb ; aims:safeguardsAgainstProhibitedOutput true ; aims:provider ex:Us",
     AFTER, ["MinimalRisk"], {"Article 5(1a)"}, {"Article 5": None}, "Art. 5(1a) applies to point (bb) too (B11)."),
    ("article-5-1-bb-1b-not-for-bb", "aims:prohibitedPractice eu:Article-5-1-bb ; aims:manipulationWithoutIncreasedExposure true ; "
     "aims:provider ex:Us", AFTER, ["Prohibited"], {"Article 5(1)(bb)"}, {"Article 5": ("2026-12-02", True)},
     "Art. 5(1b) qualifies point (ba) only; child sexual abuse material stays prohibited (B10, B11)."),
    ("article-5-1-a-no-exception", "aims:prohibitedPractice eu:Article-5-1-a ; aims:medicalOrSafetyPurpose true ; aims:provider ex:Us",
     BEFORE, ["Prohibited"], {"Article 5(1)(a)"}, {"Article 5": ("2025-02-02", True)},
     "The medical-or-safety exception belongs to 5(1)(f) only; 5(1)(a) has none."),
    ("article-5-1-ba-before-amendment", "aims:prohibitedPractice eu:Article-5-1-ba ; aims:provider ex:Us", dt.date(2026, 3, 1),
     ["MinimalRisk"], set(), {"Article 5": None}, "Before 27 July 2026 the 2024 text, without point (ba), was in force (A10, B9)."),
]

# Facts of part 3b: Article 111(2) legacy systems (B35, C12) and the Article 50 details.
_LEGACY = "aims:annexIIIUseCase eu:Annex-III-point-5-a ; aims:provider ex:Us ; aims:placedOnMarketOn \"2027-03-01\"^^xsd:date"
CASES += [
    ("article-111-2-legacy", _LEGACY, AFTER, ["HighRiskAnnexIII"], {"Annex III point 5(a)"},
     {"Article 9": (None, False), "Article 16": (None, False), "Article 4": ("2026-07-27", True)},
     "Placed before 2 Dec 2027 and not changed since: Art. 111(2) as replaced keeps Chapter III off the system (B35); Art. 4 still applies."),
    ("article-111-2-public-authority", f"{_LEGACY} ; aims:intendedForPublicAuthorities true", AFTER, ["HighRiskAnnexIII"], set(),
     {"Article 9": ("2030-08-02", False)}, "A legacy system intended for public authorities must comply by 2 Aug 2030 (Art. 111(2), C12)."),
    ("article-111-2-substantially-modified", f"{_LEGACY} ; aims:valueChainEvent [ a aims:SubstantialModification ; aims:performedBy ex:Us ; "
     "aims:occurredOn \"2028-02-01\"^^xsd:date ]", AFTER, ["HighRiskAnnexIII"], set(), {"Article 9": ("2027-12-02", True)},
     "A significant design change after the Chapter III date brings a legacy system under the act (Art. 111(2), B35)."),
    ("article-111-2-placed-after", "aims:annexIIIUseCase eu:Annex-III-point-5-a ; aims:provider ex:Us ; "
     "aims:placedOnMarketOn \"2028-01-10\"^^xsd:date", AFTER, ["HighRiskAnnexIII"], set(), {"Article 9": ("2027-12-02", True)},
     "Placed after 2 Dec 2027: no transition, Chapter III applies (C4)."),
    ("article-50-1-obvious", "aims:interactsWithNaturalPersons true ; aims:interactionObviousFromContext true ; aims:provider ex:Us", AFTER,
     ["MinimalRisk"], set(), {"Article 50(1)": None}, "Art. 50(1) asks nothing where the AI interaction is obvious from the context."),
    ("article-50-2-assistive-editing", "aims:generatesSyntheticContent true ; aims:assistiveStandardEditing true ; aims:provider ex:Us", AFTER,
     ["MinimalRisk"], set(), {"Article 50(2)": None}, "Art. 50(2) does not apply to assistive standard editing."),
]

# Article 25: value-chain events (research row B18 for 25(2) as replaced; dates of Chapter III Section 3, C4).
_VENDOR = "aims:provider ex:Vendor ; aims:annexIIIUseCase eu:Annex-III-point-4-a"
CASES += [
    ("article-25-1-a-name-on-system", f"{_VENDOR} ; aims:deployer ex:Us ; aims:valueChainEvent [ a aims:NameOrTrademarkPlacement ; "
     "aims:performedBy ex:Us ]", AFTER, ["HighRiskAnnexIII"], {"Article 25(1)(a)", "Article 25(2)"},
     {"Article 25(1)": ("2027-12-02", True), "Article 16": ("2027-12-02", True), "Article 9": ("2027-12-02", True),
      "Article 26(1)": ("2027-12-02", True)},
     "A deployer that puts its name on a high-risk system becomes its provider with the Art. 16 duties (Art. 25(1)(a)) and stays deployer."),
    ("article-25-1-b-substantial-modification", f"{_VENDOR} ; aims:importer ex:Us ; aims:valueChainEvent [ a aims:SubstantialModification ; "
     "aims:performedBy ex:Us ; aims:occurredOn \"2028-03-01\"^^xsd:date ]", BETWEEN, ["HighRiskAnnexIII"], {"Article 25(1)(b)"},
     {"Article 16": ("2027-12-02", True), "Article 23": ("2027-12-02", True)},
     "An importer that substantially modifies a high-risk system that stays high-risk becomes its provider (Art. 25(1)(b))."),
    ("article-25-1-b-not-high-risk-before", f"{_VENDOR} ; aims:importer ex:Us ; aims:valueChainEvent [ a aims:SubstantialModification ; "
     "aims:performedBy ex:Us ; aims:highRiskBeforeEvent false ]", AFTER, ["HighRiskAnnexIII"], set(),
     {"Article 16": None, "Article 25(1)": None, "Article 23": ("2027-12-02", True)},
     "Art. 25(1)(b) needs a system that was high-risk and remains so; a modification of a system that was not is no (b) case."),
    ("article-25-1-c-purpose-change", "aims:provider ex:Vendor ; aims:annexIIIUseCase eu:Annex-III-point-4-a ; aims:deployer ex:Us ; "
     "aims:valueChainEvent [ a aims:IntendedPurposeChange ; aims:performedBy ex:Us ]", BEFORE, ["HighRiskAnnexIII"],
     {"Article 25(1)(c)", "Annex III point 4(a)"}, {"Article 16": ("2027-12-02", False), "Article 25(1)": ("2027-12-02", False)},
     "Changing the purpose of a non-high-risk system so that it falls under Annex III 4(a) makes the deployer its provider (Art. 25(1)(c)); duties from 2 Dec 2027 (C4)."),
    ("article-25-1-c-general-purpose-system", "a aims:GeneralPurposeAISystem ; aims:provider ex:Vendor ; aims:annexIIIUseCase eu:Annex-III-point-4-a ; "
     "aims:deployer ex:Us ; aims:valueChainEvent [ a aims:IntendedPurposeChange ; aims:performedBy ex:Us ; aims:highRiskBeforeEvent false ]",
     AFTER, ["HighRiskAnnexIII"], {"Article 25(1)(c)"}, {"Article 16": ("2027-12-02", True), "Article 9": ("2027-12-02", True)},
     "Art. 25(1)(c) names general-purpose AI systems: a deployer putting one to an Annex III use becomes its provider."),
    ("article-25-1-c-already-high-risk", "aims:provider ex:Vendor ; aims:annexIIIUseCase eu:Annex-III-point-4-a ; aims:deployer ex:Us ; "
     "aims:valueChainEvent [ a aims:IntendedPurposeChange ; aims:performedBy ex:Us ; aims:highRiskBeforeEvent true ]", AFTER,
     ["HighRiskAnnexIII"], set(), {"Article 16": None, "Article 26(1)": ("2027-12-02", True)},
     "Art. 25(1)(c) covers only systems that were not high-risk before the change of purpose."),
    ("article-25-2-initial-provider", "aims:provider ex:Us ; aims:annexIIIUseCase eu:Annex-III-point-4-a ; "
     "aims:valueChainEvent [ a aims:NameOrTrademarkPlacement ; aims:performedBy ex:Rebrander ]", AFTER, ["HighRiskAnnexIII"],
     {"Article 25(2)"}, {"Article 25(2)": ("2027-12-02", True), "Article 16": None, "Article 9": None},
     "Once another operator became provider, the initial provider is no longer the provider and must cooperate (Art. 25(2), B18)."),
    # Article 25(2): the initial provider's statement that the system is not to be changed into a high-risk
    # system (the last sentence of 25(2) in 2024, its last subparagraph as replaced: research B44, B45).
    ("article-25-2-opt-out-as-amended", "aims:provider ex:Us ; aims:annexIIIUseCase eu:Annex-III-point-4-a ; "
     "aims:notToBeChangedIntoHighRisk true ; aims:valueChainEvent [ a aims:IntendedPurposeChange ; aims:performedBy ex:Repurposer ]",
     AFTER, ["HighRiskAnnexIII"], {"Article 25(1)(c)", "Article 25(2)"},
     {"Article 25(2)": None, "Article 16": None, "Article 9": None},
     "The initial provider had clearly specified that the system was not to be changed into a high-risk system: "
     "no longer its provider, and no cooperation owed (Art. 25(2), last subparagraph as replaced, B45)."),
    ("article-25-2-opt-out-2024-text", "aims:provider ex:Us ; aims:annexIIIUseCase eu:Annex-III-point-4-a ; "
     "aims:notToBeChangedIntoHighRisk true ; aims:valueChainEvent [ a aims:IntendedPurposeChange ; aims:performedBy ex:Repurposer ]",
     dt.date(2026, 3, 1), ["HighRiskAnnexIII"], {"Article 25(2)"}, {"Article 25(2)": None, "Article 16": None},
     "The 2024 text already relieves such an initial provider: 'This paragraph shall not apply ...' (Art. 25(2), last sentence, B44)."),
    ("article-25-2-cooperation-2024-text", "aims:provider ex:Us ; aims:annexIIIUseCase eu:Annex-III-point-4-a ; "
     "aims:notToBeChangedIntoHighRisk false ; aims:valueChainEvent [ a aims:IntendedPurposeChange ; aims:performedBy ex:Repurposer ]",
     dt.date(2026, 3, 1), ["HighRiskAnnexIII"], {"Article 25(2)"}, {"Article 25(2)": ("2026-08-02", False), "Article 16": None},
     "Without that statement the initial provider cooperates; under the 2024 text Chapter III applied from 2 Aug 2026 (C4, 2024 value)."),
    ("article-25-not-high-risk", "aims:provider ex:Vendor ; aims:deployer ex:Us ; "
     "aims:valueChainEvent [ a aims:NameOrTrademarkPlacement ; aims:performedBy ex:Us ]", AFTER, ["MinimalRisk"], set(),
     {"Article 25(1)": None, "Article 16": None},
     "Art. 25(1)(a) concerns high-risk systems only; a rebranded minimal-risk system changes no provider duties."),
    ("article-25-section-b", "aims:provider ex:Vendor ; aims:safetyComponentOfProduct true ; aims:requiresThirdPartyConformityAssessment true ; "
     "aims:coveredByAnnexI eu:Annex-I-Section-B-point-13 ; aims:deployer ex:Us ; "
     "aims:valueChainEvent [ a aims:SubstantialModification ; aims:performedBy ex:Us ]", AFTER, ["HighRiskAnnexI"], {"Article 2(2)"},
     {"Article 25(1)": None, "Article 16": None}, "Art. 2(2) does not list Art. 25 for Annex I Section B systems (B2)."),
]

# GPAI models (the subject is a model, not a system).
MODEL_CASES = [
    ("gpai-model", "a aims:GeneralPurposeAIModel ; aims:provider ex:Us", BEFORE, ["GeneralPurposeAI"],
     {"Article 53(1)(a)": ("2025-08-02", True), "Article 53(1)(c)": ("2025-08-02", True), "Article 4": None, "Article 55(1)": None},
     "A GPAI model provider has Art. 53 duties from 2 Aug 2025 (C8); Art. 4 addresses AI systems (B7)."),
    ("gpai-systemic", "a aims:GeneralPurposeAIModel ; aims:provider ex:Us ; aims:trainingCompute 3.0E25", BEFORE,
     ["GeneralPurposeAISystemicRisk"], {"Article 55(1)": ("2025-08-02", True), "Article 53(1)(d)": ("2025-08-02", True)},
     "Above 10^25 FLOP the model is presumed to have systemic risk (Art. 51(2)): Art. 55 applies."),
    ("gpai-outside-union", "a aims:GeneralPurposeAIModel ; aims:provider ex:Us", BEFORE, ["GeneralPurposeAI"],
     {"Article 54(1)": ("2025-08-02", True)}, "A third-country provider appoints an authorised representative (Art. 54)."),
    ("gpai-open-source-outside-union", "a aims:GeneralPurposeAIModel ; aims:provider ex:Us ; aims:openSourceWithPublicWeights true",
     BEFORE, ["GeneralPurposeAI"], {"Article 54(1)": None}, "Open-source models with public weights are exempt from Art. 54 (Art. 54(6))."),
    ("gpai-open-source-systemic", "a aims:GeneralPurposeAIModel ; aims:provider ex:Us ; aims:openSourceWithPublicWeights true ; "
     "aims:designatedSystemicRisk true", BEFORE, ["GeneralPurposeAISystemicRisk"],
     {"Article 54(1)": ("2025-08-02", True), "Article 53(1)(a)": ("2025-08-02", True), "Article 53(1)(b)": ("2025-08-02", True),
      "Article 55(1)": ("2025-08-02", True)},
     "The open-source exemptions do not cover models with systemic risk (Art. 53(2), 54(6)): all of 53(1), 54 and 55 apply."),
    ("gpai-open-source-53-2", "a aims:GeneralPurposeAIModel ; aims:provider ex:Us ; aims:openSourceWithPublicWeights true", AFTER,
     ["GeneralPurposeAI"], {"Article 53(1)(a)": None, "Article 53(1)(b)": None, "Article 53(1)(c)": ("2025-08-02", True),
                            "Article 53(1)(d)": ("2025-08-02", True)},
     "Art. 53(2) lifts points (a) and (b) for open-source models with public weights; copyright policy (c) and training summary (d) stay."),
    # Article 111(3) (research row C13): models placed on the market before 2 August 2025.
    ("gpai-placed-before-111-3", "a aims:GeneralPurposeAIModel ; aims:provider ex:Us ; aims:placedOnMarketOn \"2025-03-01\"^^xsd:date",
     BEFORE, ["GeneralPurposeAI"], {"Article 53(1)(a)": ("2027-08-02", False), "Article 53(1)(d)": ("2027-08-02", False)},
     "A model placed on the market before 2 Aug 2025 complies by 2 Aug 2027 (Art. 111(3), C13)."),
    ("gpai-placed-before-111-3-due", "a aims:GeneralPurposeAIModel ; aims:provider ex:Us ; aims:placedOnMarketOn \"2025-03-01\"^^xsd:date",
     BETWEEN, ["GeneralPurposeAI"], {"Article 53(1)(a)": ("2027-08-02", True)},
     "After 2 Aug 2027 the Art. 53 duties bind a model already on the market (Art. 111(3), C13)."),
    ("gpai-systemic-placed-before-111-3", "a aims:GeneralPurposeAIModel ; aims:provider ex:Us ; aims:trainingCompute 3.0E25 ; "
     "aims:placedOnMarketOn \"2025-01-10\"^^xsd:date", BEFORE, ["GeneralPurposeAISystemicRisk"],
     {"Article 55(1)": ("2027-08-02", False)}, "Art. 111(3) covers the systemic-risk duties of a model already on the market too (C13)."),
    ("gpai-placed-after-2025-08-02", "a aims:GeneralPurposeAIModel ; aims:provider ex:Us ; aims:placedOnMarketOn \"2025-09-01\"^^xsd:date",
     BEFORE, ["GeneralPurposeAI"], {"Article 53(1)(a)": ("2025-08-02", True)},
     "A model placed after 2 Aug 2025 owes Art. 53 from the start (C8); Art. 111(3) does not apply to it."),
]
OUTSIDE = {"gpai-outside-union", "gpai-open-source-outside-union", "gpai-open-source-systemic"}


@pytest.fixture(scope="module")
def store():
    with open_store("memory") as opened:
        yield opened


def _run(store, facts: str, on: dt.date):
    store.replace_graph("https://w3id.org/aims-graph/graph/data", (HEAD + facts).encode(), ox.RdfFormat.TURTLE)
    [result] = [r for r in classify(store, write=False, as_of=on) if r.iri == "https://example.org/case/S"]
    return result


def _check(result, categories, grounds, obligations, reasoning) -> None:
    assert result.categories == categories, reasoning
    found = {g.notation for r in result.records for g in r.grounds}
    assert grounds <= found, reasoning
    by_article = {o.provision.notation: o for o in result.obligations if o.provision and o.decided}
    for article, expected in obligations.items():
        if expected is None:
            assert article not in by_article, reasoning
        else:
            assert article in by_article, reasoning
            assert (by_article[article].applies_from, by_article[article].applies_on_as_of) == expected, reasoning


@pytest.mark.parametrize(("name", "facts", "on", "categories", "grounds", "obligations", "reasoning"), CASES,
                         ids=[c[0] for c in CASES])
def test_system_case(store, name, facts, on, categories, grounds, obligations, reasoning) -> None:
    _check(_run(store, f"ex:S a aims:AISystem ; {facts} .", on), categories, grounds, obligations, reasoning)


@pytest.mark.parametrize(("name", "facts", "on", "categories", "obligations", "reasoning"), MODEL_CASES,
                         ids=[c[0] for c in MODEL_CASES])
def test_model_case(store, name, facts, on, categories, obligations, reasoning) -> None:
    extra = "ex:Us aims:establishedOutsideUnion true .\n" if name in OUTSIDE else ""
    _check(_run(store, extra + f"ex:S {facts} .", on), categories, set(), obligations, reasoning)


def test_the_suite_is_large_enough_and_spans_three_dates() -> None:
    assert len(CASES) + len(MODEL_CASES) >= 40
    assert {BEFORE, BETWEEN, AFTER} <= {c[2] for c in CASES}
