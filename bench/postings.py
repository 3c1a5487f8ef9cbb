"""A deterministic corpus of realistic English job postings of about 3 KB, for extraction benchmarks.

    python -m bench.postings --docs 500 --out /tmp/postings.jsonl [--seed 20240601] [--size 3000]

Every building block below (titles, company blurbs, duties, requirements, benefits) is written for
this file across nine trades: software, data, nursing, logistics, hospitality, finance,
construction, marketing and teaching. No public benchmark data is used. The same seed and size give
the same documents, byte for byte; each line is ``{"doc_id": ..., "text": ...}``. ``long_texts`` puts
them on market records (``bench/bench_market.py --size``).
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

SEED = 20240601
SIZE = 3000  # characters; postings come out between SIZE and about SIZE + 250


@dataclass(frozen=True, slots=True)
class Trade:
    name: str
    titles: tuple[str, ...]
    intro: tuple[str, ...]
    duties: tuple[str, ...]
    requirements: tuple[str, ...]
    extras: tuple[str, ...]


TRADES: tuple[Trade, ...] = (
    Trade(
        "software",
        ("Backend Developer", "Senior Software Engineer", "Full-Stack Developer", "Python Developer"),
        (
            "You will join a product team of six engineers who ship to production several times a day.",
            "Our platform serves two million requests an hour, and we want it faster and simpler.",
        ),
        (
            "Design, build and maintain REST APIs in Python and Django used by our web and mobile apps.",
            "Write clean, tested code and review pull requests from your colleagues with care.",
            "Model data in PostgreSQL and tune slow SQL queries together with the data team.",
            "Own features end to end, from the technical design document to monitoring in production.",
            "Improve our continuous integration pipelines and keep build times under ten minutes.",
            "Break down large pieces of work into small, safe releases behind feature flags.",
            "Take part in a fair on-call rota and lead blameless post-incident reviews.",
            "Work with product managers and designers to turn user research into working software.",
            "Automate infrastructure with Terraform and deploy services to Kubernetes on AWS.",
            "Mentor junior developers through pairing sessions and thoughtful code review.",
            "Write technical documentation that new colleagues can follow on their first day.",
            "Debug production issues using logs, metrics and distributed tracing.",
        ),
        (
            "At least three years of professional experience in software development.",
            "Strong knowledge of Python; experience with Java, Go or TypeScript is welcome.",
            "Good command of SQL and relational databases such as PostgreSQL or MySQL.",
            "Experience with version control using Git and with code review workflows.",
            "Familiarity with Docker, Linux and cloud computing services.",
            "Practical understanding of automated testing: unit tests, integration tests and TDD.",
            "Knowledge of web application security and the OWASP top ten.",
            "Ability to explain technical trade-offs to non-technical stakeholders.",
            "Experience working in agile teams using Scrum or Kanban.",
            "Understanding of software architecture, design patterns and clean code.",
            "A degree in computer science or equivalent practical experience.",
            "Fluent written and spoken English.",
        ),
        (
            "Experience with JavaScript frameworks such as React or Vue.",
            "Knowledge of message queues like RabbitMQ or Kafka.",
            "Contributions to open source projects.",
            "Experience with performance profiling and caching strategies.",
            "Some exposure to machine learning in production.",
            "Experience with GraphQL.",
        ),
    ),
    Trade(
        "data",
        ("Data Analyst", "Data Scientist", "Analytics Engineer", "Business Intelligence Analyst"),
        (
            "You will help every department make decisions based on evidence rather than intuition.",
            "Our data warehouse holds ten years of sales, customer and supply chain data.",
        ),
        (
            "Collect, clean and analyse large data sets from our CRM, ERP and web analytics tools.",
            "Build and maintain dashboards in Power BI and Tableau for the leadership team.",
            "Write efficient SQL queries and data models in our cloud data warehouse.",
            "Design and evaluate A/B tests together with product and marketing colleagues.",
            "Develop statistical models and machine learning models to forecast demand.",
            "Present findings to stakeholders in clear reports and short presentations.",
            "Document data definitions and keep the data catalogue up to date.",
            "Automate recurring reports with Python scripts and scheduled workflows.",
            "Monitor data quality and investigate anomalies in the incoming data.",
            "Translate business questions into analytical problems with measurable outcomes.",
            "Work with data engineers to improve ETL pipelines and data governance.",
            "Perform customer segmentation and churn analysis.",
        ),
        (
            "A degree in statistics, mathematics, economics, computer science or a related field.",
            "Excellent SQL skills and experience with relational databases.",
            "Proficiency in Python or R for data analysis, including pandas and scikit-learn.",
            "Experience with data visualisation tools such as Tableau or Power BI.",
            "Solid knowledge of statistics: regression, hypothesis testing and sampling.",
            "Advanced skills in Microsoft Excel, including pivot tables.",
            "Strong analytical thinking and attention to detail.",
            "Ability to communicate complex results to a non-technical audience.",
            "Understanding of data protection and GDPR.",
            "Experience with data mining and predictive modelling.",
            "Curiosity and a structured approach to problem solving.",
            "Good time management and the ability to prioritise requests.",
        ),
        (
            "Experience with Spark or other big data tools.",
            "Knowledge of dbt and modern data stack tools.",
            "Experience with cloud platforms such as Azure or Google Cloud.",
            "Familiarity with natural language processing.",
            "A portfolio of analyses or published notebooks.",
            "Experience in retail or e-commerce analytics.",
        ),
    ),
    Trade(
        "nursing",
        ("Registered Nurse", "Staff Nurse, Surgical Ward", "Community Nurse", "Charge Nurse"),
        (
            "You will care for patients on a busy 28-bed surgical ward in a teaching hospital.",
            "Our community team supports older adults and people with long-term conditions at home.",
        ),
        (
            "Assess, plan, implement and evaluate individual patient care plans.",
            "Administer medication safely and keep accurate medication records.",
            "Monitor vital signs and recognise the early signs of a deteriorating patient.",
            "Perform wound care, dressing changes and post-operative observations.",
            "Insert and care for intravenous cannulas and urinary catheters.",
            "Educate patients and their families about treatment, recovery and self-care.",
            "Work closely with doctors, physiotherapists, pharmacists and social workers.",
            "Keep clear and accurate nursing documentation in the electronic patient record.",
            "Apply infection prevention and control procedures at all times.",
            "Supervise and support student nurses and healthcare assistants.",
            "Take charge of the ward in the absence of the ward manager.",
            "Plan safe discharges and arrange follow-up care in the community.",
        ),
        (
            "Registration as a nurse with the relevant professional body.",
            "Experience in acute care, surgery or community nursing.",
            "Up-to-date basic life support certification.",
            "Knowledge of medication administration and pharmacology.",
            "Excellent communication skills and compassion for patients.",
            "Ability to work under pressure and to prioritise care.",
            "Commitment to patient safety and evidence-based practice.",
            "Good teamwork skills and respect for colleagues.",
            "Ability to work day and night shifts, including weekends.",
            "Competence in using electronic health records.",
            "Understanding of safeguarding vulnerable adults and children.",
            "A full driving licence for community roles.",
        ),
        (
            "A mentorship qualification.",
            "Experience in tissue viability or palliative care.",
            "Immediate life support training.",
            "Experience with phlebotomy.",
            "A second language, such as Polish or Spanish.",
            "Interest in quality improvement projects.",
        ),
    ),
    Trade(
        "logistics",
        ("Warehouse Team Leader", "Logistics Coordinator", "Forklift Operator", "Transport Planner"),
        (
            "You will work in our 40,000 square metre distribution centre serving 300 stores.",
            "We move fresh and frozen goods across the country every night of the year.",
        ),
        (
            "Plan daily routes and loads to make the best use of our fleet of trucks.",
            "Operate forklift trucks and reach trucks to put away and retrieve pallets.",
            "Pick and pack customer orders accurately using handheld scanners.",
            "Receive inbound deliveries, check them against purchase orders and report damages.",
            "Keep stock records accurate in the warehouse management system.",
            "Carry out regular stock counts and investigate discrepancies.",
            "Coordinate with carriers, suppliers and customs brokers on shipments.",
            "Lead a team of twelve warehouse operatives and organise their shifts.",
            "Follow health and safety rules and report near misses.",
            "Prepare shipping documents and customs declarations for exports.",
            "Monitor key performance indicators such as on-time delivery and picking accuracy.",
            "Suggest improvements to warehouse layout and lean processes.",
        ),
        (
            "Experience in a warehouse, distribution or logistics environment.",
            "A valid forklift licence or willingness to obtain one.",
            "Good numeracy and basic computer skills.",
            "Knowledge of supply chain management and inventory control.",
            "Experience with SAP or another ERP system.",
            "Ability to lift heavy loads and work on your feet.",
            "Reliable, punctual and safety-minded.",
            "Good communication skills in English.",
            "Leadership experience for team leader roles.",
            "Ability to work in a fast-paced environment with tight deadlines.",
            "Understanding of dangerous goods regulations.",
            "Problem-solving skills and a calm approach.",
        ),
        (
            "A category C driving licence.",
            "Knowledge of Incoterms and international freight.",
            "Lean Six Sigma training.",
            "Experience with cold chain logistics.",
            "First aid certificate.",
            "Experience with route planning software.",
        ),
    ),
    Trade(
        "hospitality",
        ("Chef de Partie", "Front Office Manager", "Restaurant Supervisor", "Barista"),
        (
            "You will join a 120-room hotel with a restaurant, a bar and a busy conference centre.",
            "Our kitchen cooks seasonal food from local farms for up to 200 covers a night.",
        ),
        (
            "Prepare and cook dishes to our recipes and presentation standards.",
            "Run your section of the kitchen during busy services.",
            "Follow food safety and hygiene procedures and keep HACCP records.",
            "Check deliveries, rotate stock and reduce food waste.",
            "Greet guests, take reservations and handle check-in and check-out.",
            "Deal with guest complaints calmly and find solutions quickly.",
            "Serve food and drinks and recommend wines to guests.",
            "Prepare espresso-based drinks and keep the coffee machine clean.",
            "Handle cash, card payments and the daily till reconciliation.",
            "Train new team members on service standards.",
            "Plan staff rotas and control labour costs.",
            "Keep the restaurant, bar and public areas clean and welcoming.",
        ),
        (
            "Previous experience in a hotel, restaurant or cafe.",
            "A food hygiene certificate.",
            "Excellent customer service skills.",
            "Friendly, positive attitude and good teamwork.",
            "Ability to work evenings, weekends and public holidays.",
            "Knowledge of allergens and special diets.",
            "Good spoken English; another European language is an advantage.",
            "Experience with a property management system such as Opera.",
            "Ability to stay calm and organised under pressure.",
            "Basic cooking skills and knife skills.",
            "Cash handling experience.",
            "Attention to cleanliness and detail.",
        ),
        (
            "Barista training.",
            "Knowledge of wine and cocktails.",
            "Experience with pastry and bakery.",
            "Event catering experience.",
            "A personal licence to sell alcohol.",
            "Experience in fine dining.",
        ),
    ),
    Trade(
        "finance",
        ("Accountant", "Financial Analyst", "Accounts Payable Clerk", "Finance Manager"),
        (
            "You will join a finance team of fifteen in a growing manufacturing group.",
            "We close the books every month in five working days and want to do it in three.",
        ),
        (
            "Prepare monthly management accounts and variance analysis.",
            "Process supplier invoices and payments and reconcile supplier statements.",
            "Prepare bank reconciliations and manage cash flow forecasts.",
            "Support the annual audit and prepare the statutory financial statements.",
            "Prepare VAT returns and support corporate tax filings.",
            "Build budgets and forecasts with department heads.",
            "Analyse costs and margins and present recommendations to management.",
            "Maintain the general ledger and post journal entries.",
            "Improve financial controls and document accounting procedures.",
            "Manage accounts receivable and chase overdue payments.",
            "Develop financial models to evaluate investments.",
            "Ensure compliance with IFRS and internal policies.",
        ),
        (
            "A qualification in accounting or finance, or studying towards one.",
            "Experience in bookkeeping and financial reporting.",
            "Advanced Excel skills, including financial modelling.",
            "Knowledge of accounting software such as SAP, Sage or Xero.",
            "Understanding of tax legislation and VAT.",
            "High accuracy and attention to detail.",
            "Good communication skills and the ability to explain numbers.",
            "Ability to meet deadlines during month-end close.",
            "Analytical and problem-solving skills.",
            "Integrity and discretion with confidential information.",
            "Experience with budgeting and forecasting.",
            "Knowledge of risk management principles.",
        ),
        (
            "Experience in a manufacturing company.",
            "Knowledge of Power BI.",
            "Experience with payroll.",
            "Experience of a finance system implementation.",
            "Knowledge of treasury management.",
            "Experience with consolidation of group accounts.",
        ),
    ),
    Trade(
        "construction",
        ("Site Manager", "Electrician", "Carpenter", "Quantity Surveyor"),
        (
            "You will work on a new-build scheme of 140 homes and a primary school.",
            "We refurbish listed buildings and public offices for local authorities.",
        ),
        (
            "Manage day-to-day activity on site and coordinate subcontractors.",
            "Read and interpret technical drawings and building plans.",
            "Install, test and maintain electrical wiring, lighting and distribution boards.",
            "Build and fit timber frames, stairs, doors and kitchens.",
            "Carry out site inspections and make sure work meets building regulations.",
            "Prepare cost estimates, bills of quantities and valuations.",
            "Plan the construction schedule and track progress against the programme.",
            "Run toolbox talks and enforce health and safety on site.",
            "Order materials and manage deliveries to site.",
            "Resolve defects and hand over completed homes to customers.",
            "Measure work on site and agree final accounts with subcontractors.",
            "Operate power tools and hand tools safely.",
        ),
        (
            "Experience in construction, building services or civil engineering.",
            "A relevant trade qualification or a degree in construction management.",
            "Knowledge of building regulations and construction safety.",
            "Ability to read construction drawings.",
            "A site safety card and first aid training.",
            "Experience with project planning tools such as MS Project.",
            "Good organisational and leadership skills.",
            "Strong communication skills with clients and trades.",
            "A full driving licence.",
            "Experience in cost control and contract administration.",
            "Knowledge of electrical installation standards for electricians.",
            "Physical fitness and the ability to work at height.",
        ),
        (
            "Experience with BIM and AutoCAD.",
            "A SMSTS certificate.",
            "Experience with heritage buildings.",
            "Knowledge of renewable energy installations such as solar panels.",
            "Experience with timber frame construction.",
            "An NEC contract qualification.",
        ),
    ),
    Trade(
        "marketing",
        ("Digital Marketing Manager", "Content Marketer", "SEO Specialist", "Social Media Coordinator"),
        (
            "You will grow a consumer brand that sells online in twelve countries.",
            "Our small marketing team runs campaigns from idea to results report.",
        ),
        (
            "Plan and run digital marketing campaigns across search, social and email.",
            "Write engaging content for our blog, newsletter and social media channels.",
            "Improve search engine optimisation through keyword research and on-page changes.",
            "Manage paid advertising budgets on Google Ads and Meta.",
            "Analyse campaign performance in Google Analytics and report on results.",
            "Manage our social media accounts and respond to the community.",
            "Brief designers and agencies and review their creative work.",
            "Develop the marketing strategy and the annual marketing plan.",
            "Run market research and competitor analysis.",
            "Organise events, webinars and trade fairs.",
            "Keep the website up to date in our content management system.",
            "Segment customers and set up email marketing automation.",
        ),
        (
            "Experience in digital marketing or content marketing.",
            "Excellent writing and copywriting skills in English.",
            "Knowledge of SEO, SEM and social media marketing.",
            "Experience with Google Analytics and marketing analytics.",
            "Creativity and a good eye for visual design.",
            "Project management skills and the ability to juggle several campaigns.",
            "Experience with CRM tools such as HubSpot or Salesforce.",
            "Understanding of brand management.",
            "Data-driven mindset and comfort with numbers.",
            "Good presentation skills.",
            "Knowledge of marketing law and consumer protection.",
            "A degree in marketing, communications or a related field.",
        ),
        (
            "Experience with Adobe Photoshop and video editing.",
            "Knowledge of HTML and CSS.",
            "Experience with influencer marketing.",
            "Public relations experience.",
            "A second language, such as German or French.",
            "Experience in e-commerce.",
        ),
    ),
    Trade(
        "teaching",
        ("Primary School Teacher", "Secondary Mathematics Teacher", "Teaching Assistant", "ESL Teacher"),
        (
            "You will teach in a friendly school of 400 pupils with a strong focus on wellbeing.",
            "Our language school teaches English to adults from more than thirty countries.",
        ),
        (
            "Plan and deliver engaging lessons that follow the national curriculum.",
            "Assess pupils' progress and give constructive feedback.",
            "Differentiate teaching to support pupils with special educational needs.",
            "Manage classroom behaviour with clear routines and positive relationships.",
            "Mark homework and keep accurate records of attainment.",
            "Communicate with parents at meetings and through written reports.",
            "Prepare teaching materials and use educational technology in class.",
            "Support pupils individually and in small groups under the teacher's direction.",
            "Teach English grammar, vocabulary, speaking and listening to adult learners.",
            "Contribute to school trips, clubs and extracurricular activities.",
            "Take part in professional development and share good practice.",
            "Follow safeguarding and child protection procedures.",
        ),
        (
            "A teaching qualification and qualified teacher status.",
            "A degree in education or in your subject.",
            "Experience teaching the relevant age group.",
            "Excellent classroom management skills.",
            "Strong subject knowledge in mathematics for maths roles.",
            "Patience, empathy and a passion for learning.",
            "Good organisational and time management skills.",
            "Ability to work as part of a team with colleagues and support staff.",
            "Knowledge of assessment methods and lesson planning.",
            "A CELTA or TEFL certificate for language teaching roles.",
            "A clear background check.",
            "Good IT skills, including Microsoft Office.",
        ),
        (
            "Experience with pupils with autism or dyslexia.",
            "Ability to teach music or physical education.",
            "Experience as a form tutor.",
            "Knowledge of a second language.",
            "Experience with online teaching.",
            "Experience running an after-school club.",
        ),
    ),
)

COMPANIES = (
    "Northwind",
    "Harbour & Vale",
    "Brightfield",
    "Copperleaf",
    "Meridian",
    "Oakridge",
    "Bluewater",
    "Kestrel",
    "Silverline",
    "Greenhaven",
    "Atlas Works",
    "Rowan & Co",
)
SECTORS = {
    "software": "software company",
    "data": "retail group",
    "nursing": "healthcare trust",
    "logistics": "logistics company",
    "hospitality": "hotel group",
    "finance": "manufacturing group",
    "construction": "construction company",
    "marketing": "consumer brand",
    "teaching": "education trust",
}
BLURBS = (
    "{company} is a {sector} founded in {year}, with {people} people across {sites} sites.",
    "At {company}, a {sector} of {people} people, we believe good work starts with good teams.",
    "{company} is an independent {sector}. Since {year} we have grown to {people} colleagues.",
    "We are {company}, a {sector} that has been serving customers since {year}.",
)
VALUES = (
    "We value honesty, curiosity and doing the right thing for our customers.",
    "We are proud of a culture where people help each other and learn from mistakes.",
    "Diversity makes us better, and we welcome applicants from every background.",
    "We invest in our people and promote from within wherever we can.",
    "Sustainability matters to us: we aim to be carbon neutral by 2030.",
)
LOCATIONS = ("Manchester", "Leeds", "Bristol", "Glasgow", "Cardiff", "Dublin", "Birmingham", "Remote (UK)")
MODES = ("Full-time, permanent", "Part-time, 24 hours a week", "Full-time, 12-month contract", "Shift work")
BENEFITS = (
    "A competitive salary reviewed every year.",
    "Twenty-eight days of holiday plus public holidays.",
    "A pension scheme with a matched employer contribution.",
    "Private health insurance and an employee assistance programme.",
    "Flexible working hours and hybrid working where the role allows.",
    "A training budget and time for professional development.",
    "Cycle-to-work scheme and free parking.",
    "Discounts in our stores and with partner brands.",
    "Paid volunteering days.",
    "Enhanced parental leave.",
    "Free meals on shift.",
    "A clear career path and regular one-to-one meetings.",
)
SOFT = (
    "Clear written and spoken communication.",
    "A collaborative attitude and respect for colleagues.",
    "The ability to plan and organise your own work.",
    "Willingness to learn and to take feedback on board.",
    "Reliability and a strong sense of responsibility.",
    "Flexibility when priorities change.",
    "A customer-focused way of working.",
    "Basic digital skills: email, spreadsheets and video calls.",
)
HOW_WE_WORK = (
    "Teams plan their work together every two weeks and review it openly.",
    "New colleagues get a buddy and a structured induction in their first month.",
    "Managers hold regular one-to-ones focused on growth, not just tasks.",
    "We share what we learn in short monthly sessions open to everyone.",
    "Decisions are written down, so people who were not in the room can follow them.",
    "We keep meetings short and protect time for focused work.",
)
CLOSINGS = (
    "To apply, send your CV and a short cover letter. We review applications as they arrive.",
    "Apply today with your CV. We will reply to every applicant within two weeks.",
    "Interviews take place in two stages: a short video call and a meeting on site.",
    "If you need any adjustments during the application process, please tell us.",
)


def _pick(rng: random.Random, items: tuple[str, ...], k: int) -> list[str]:
    return rng.sample(items, min(k, len(items)))


def posting(rng: random.Random, size: int = SIZE) -> tuple[str, str]:
    """One posting: ``(trade, text)``; the text grows item by item until it reaches ``size``."""
    trade = rng.choice(TRADES)
    other = rng.choice([t for t in TRADES if t is not trade])  # a line from a neighbouring trade
    company = rng.choice(COMPANIES)
    blurb = rng.choice(BLURBS).format(
        company=company,
        sector=SECTORS[trade.name],
        year=rng.randint(1950, 2019),
        people=rng.choice((45, 120, 380, 1200, 5400)),
        sites=rng.randint(2, 40),
    )
    duties = _pick(rng, trade.duties, len(trade.duties))
    requirements = _pick(rng, trade.requirements, len(trade.requirements)) + _pick(rng, SOFT, 3)
    requirements.insert(rng.randrange(len(requirements)), rng.choice(other.requirements))
    extras = _pick(rng, trade.extras, len(trade.extras))
    benefits = _pick(rng, BENEFITS, len(BENEFITS))
    how = _pick(rng, HOW_WE_WORK, len(HOW_WE_WORK))
    sections: dict[str, list[str]] = {
        name: [] for name in ("duties", "requirements", "extras", "how", "benefits")
    }
    pools = {
        "duties": duties,
        "requirements": requirements,
        "extras": extras,
        "how": how,
        "benefits": benefits,
    }
    minimum = {"duties": 5, "requirements": 5, "extras": 2, "how": 1, "benefits": 3}
    for name, count in minimum.items():
        sections[name] = [pools[name].pop() for _ in range(count)]
    head = (
        f"{rng.choice(trade.titles)}\n{company} - {rng.choice(LOCATIONS)} - {rng.choice(MODES)}\n\n"
        f"About us\n{blurb} {rng.choice(VALUES)}\n\n"
        f"The role\n{rng.choice(trade.intro)}\n"
    )
    closing = f"\n{rng.choice(CLOSINGS)}\n"

    def render() -> str:
        parts = [head]
        for title, name in (
            ("What you will do", "duties"),
            ("What you bring", "requirements"),
            ("Nice to have", "extras"),
            ("How we work", "how"),
            ("What we offer", "benefits"),
        ):
            parts.append(f"\n{title}\n" + "".join(f"- {item}\n" for item in sections[name]))
        parts.append(closing)
        return "".join(parts)

    text = render()
    order = ["duties", "requirements", "duties", "requirements", "benefits", "extras", "how"]
    step = 0
    while len(text) < size and any(pools.values()):
        name = order[step % len(order)]
        step += 1
        if pools[name]:
            sections[name].append(pools[name].pop())
            text = render()
    return trade.name, text


def postings(count: int, *, seed: int = SEED, size: int = SIZE) -> Iterator[dict[str, str]]:
    """``count`` documents as ``{"doc_id", "text"}``; ids say the trade (``posting-00042-nursing``)."""
    rng = random.Random(seed)
    for n in range(count):
        trade, text = posting(rng, size)
        yield {"doc_id": f"posting-{n:05d}-{trade}", "text": text}


def long_texts(
    records: Iterable[dict[str, object]], *, seed: int = SEED, size: int = SIZE
) -> Iterator[dict[str, object]]:
    """Market records (``domain/market/demo_corpus.generate``) made about ``size`` characters longer: a
    posting from this file after each text. The record's own text (its skills, so its trends) stays;
    a re-post (``<id>-r``) gets its original's posting, so it stays a near-duplicate."""
    rng = random.Random(seed)
    given: dict[str, str] = {}
    for record in records:
        key = str(record.get("id", "")).removesuffix("-r")
        if key not in given:
            given.clear()  # a re-post follows its original: one posting kept at a time
            given[key] = posting(rng, size)[1]
        yield {**record, "text": f"{record.get('text', '')}\n\n{given[key]}"}


def write(path: Path, count: int, *, seed: int = SEED, size: int = SIZE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for document in postings(count, seed=seed, size=size):
            out.write(json.dumps(document, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a deterministic corpus of job postings (JSONL).")
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument(
        "--out", type=Path, default=Path(tempfile.gettempdir()) / "microcareer-postings.jsonl"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--size", type=int, default=SIZE, help="target characters per posting")
    args = parser.parse_args()
    path = write(args.out, args.docs, seed=args.seed, size=args.size)
    sizes = [len(d["text"].encode()) for d in postings(args.docs, seed=args.seed, size=args.size)]
    print(
        f"{path}: {args.docs} postings, {min(sizes)}..{max(sizes)} bytes, mean {sum(sizes) / len(sizes):.0f}"
    )


if __name__ == "__main__":
    main()
