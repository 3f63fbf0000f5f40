"""The two instruments every generated study uses: a 25-item knowledge test and a checklist.

The knowledge test on breastfeeding and lactation massage (:data:`ITEMS`, four options
each, one key) and the lactation-massage skill checklist (:data:`STEPS`, 43 points) are
written as ``pengetahuan.csv`` and ``daftar_tilik.csv``, the layouts the pipeline reads.
Each question and step carries a ``weight`` the generators use to make some harder than
others.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analisis.outputs import write_csv

KNOWLEDGE_INSTRUMENT = "pengetahuan.csv"
CHECKLIST_INSTRUMENT = "daftar_tilik.csv"


@dataclass(frozen=True)
class Item:
    """One multiple-choice question; ``weight`` is its relative pre-test difficulty."""

    item_id: str
    topic: str
    question: str
    options: tuple[str, str, str, str]
    answer: str
    weight: float


@dataclass(frozen=True)
class Step:
    """One step of the lactation-massage checklist; ``weight`` is how often it loses points."""

    step_id: str
    stage: str
    description_id: str
    description_en: str
    max_points: int
    weight: float


HARD, MEDIUM, EASY = 4.0, 2.0, 0.7

ITEMS: tuple[Item, ...] = (
    Item(
        "P01",
        "ASI eksklusif",
        "Yang dimaksud dengan ASI eksklusif adalah ...",
        (
            "Pemberian ASI saja tanpa tambahan makanan atau minuman lain sampai bayi berusia "
            "6 bulan",
            "Pemberian ASI ditambah air putih sampai bayi berusia 6 bulan",
            "Pemberian ASI saja sampai bayi berusia 4 bulan",
            "Pemberian ASI dan susu formula sampai bayi berusia 2 tahun",
        ),
        "a",
        EASY,
    ),
    Item(
        "P02",
        "ASI eksklusif",
        "Peraturan Pemerintah yang mengatur pemberian ASI eksklusif di Indonesia adalah ...",
        (
            "PP Nomor 21 Tahun 2010",
            "PP Nomor 33 Tahun 2012",
            "PP Nomor 47 Tahun 2016",
            "PP Nomor 61 Tahun 2014",
        ),
        "b",
        HARD,
    ),
    Item(
        "P03",
        "produksi ASI",
        "ASI yang pertama kali keluar, berwarna kekuningan dan kaya antibodi disebut ...",
        (
            "ASI matur",
            "ASI peralihan",
            "Kolostrum",
            "Foremilk",
        ),
        "c",
        EASY,
    ),
    Item(
        "P04",
        "ASI eksklusif",
        "Sampai usia berapa ASI dianjurkan tetap diberikan bersama MP-ASI?",
        (
            "Sampai bayi berusia 6 bulan",
            "Sampai anak berusia 1 tahun",
            "Sampai anak berusia 18 bulan",
            "Sampai anak berusia 2 tahun atau lebih",
        ),
        "d",
        MEDIUM,
    ),
    Item(
        "P05",
        "hormon laktasi",
        "Hormon yang berperan dalam pembentukan (produksi) ASI adalah ...",
        (
            "Oksitosin",
            "Estrogen",
            "Prolaktin",
            "Progesteron",
        ),
        "c",
        HARD,
    ),
    Item(
        "P06",
        "hormon laktasi",
        "Hormon yang berperan dalam pengeluaran ASI (refleks let-down) adalah ...",
        (
            "Prolaktin",
            "Oksitosin",
            "Insulin",
            "Tiroksin",
        ),
        "b",
        HARD,
    ),
    Item(
        "P07",
        "refleks let-down",
        "Refleks let-down adalah ...",
        (
            "Refleks bayi mencari puting susu ketika pipinya disentuh",
            "Refleks bayi menelan ASI",
            "Refleks mengalirnya ASI dari alveoli ke saluran dan puting akibat kerja hormon "
            "oksitosin",
            "Refleks bayi menghisap puting",
        ),
        "c",
        HARD,
    ),
    Item(
        "P08",
        "refleks let-down",
        "Hal berikut dapat menghambat refleks let-down, KECUALI ...",
        (
            "Ibu merasa cemas dan stres",
            "Ibu merasa nyeri",
            "Ibu kelelahan dan kurang tidur",
            "Ibu merasa tenang dan percaya diri",
        ),
        "d",
        MEDIUM,
    ),
    Item(
        "P09",
        "produksi ASI",
        "Cara paling efektif untuk meningkatkan produksi ASI adalah ...",
        (
            "Menyusui bayi sesering mungkin sesuai keinginan bayi (on demand)",
            "Menyusui bayi secara terjadwal setiap 4 jam",
            "Memberikan susu formula pada malam hari agar payudara beristirahat",
            "Mengurangi minum air putih",
        ),
        "a",
        MEDIUM,
    ),
    Item(
        "P10",
        "produksi ASI",
        "Frekuensi menyusui bayi baru lahir yang dianjurkan dalam 24 jam adalah ...",
        (
            "2-4 kali",
            "4-6 kali",
            "8-12 kali",
            "15-20 kali",
        ),
        "c",
        HARD,
    ),
    Item(
        "P11",
        "produksi ASI",
        "Tanda bayi mendapat cukup ASI adalah ...",
        (
            "Bayi selalu tidur lebih dari 5 jam tanpa menyusu",
            "Bayi buang air kecil minimal 6 kali sehari dan berat badannya naik sesuai umur",
            "Bayi sering menangis setelah menyusu",
            "Payudara ibu selalu terasa penuh",
        ),
        "b",
        MEDIUM,
    ),
    Item(
        "P12",
        "pijat laktasi",
        "Pijat laktasi adalah ...",
        (
            "Pemijatan pada perut ibu untuk mengembalikan posisi rahim",
            "Pemijatan pada daerah kepala, leher, punggung, tulang belakang dan payudara untuk "
            "merangsang hormon prolaktin dan oksitosin",
            "Pemijatan pada bayi agar bayi tidur nyenyak",
            "Pemijatan pada kaki ibu untuk mengurangi bengkak",
        ),
        "b",
        MEDIUM,
    ),
    Item(
        "P13",
        "pijat laktasi",
        "Tujuan utama pijat laktasi adalah ...",
        (
            "Mengencangkan payudara",
            "Menurunkan berat badan ibu",
            "Melancarkan dan meningkatkan produksi ASI",
            "Mencegah kehamilan",
        ),
        "c",
        EASY,
    ),
    Item(
        "P14",
        "pijat laktasi",
        "Manfaat pijat laktasi bagi ibu menyusui, KECUALI ...",
        (
            "Mengurangi nyeri dan ketegangan otot",
            "Mengurangi stres dan kecemasan",
            "Membuat ibu lebih rileks",
            "Menggantikan kebutuhan ibu untuk menyusui bayinya",
        ),
        "d",
        MEDIUM,
    ),
    Item(
        "P15",
        "teknik pijat",
        "Pijat oksitosin dilakukan pada daerah ...",
        (
            "Sepanjang kedua sisi tulang belakang, dari leher sampai setinggi tulang belikat",
            "Telapak kaki",
            "Perut bagian bawah",
            "Lengan atas",
        ),
        "a",
        HARD,
    ),
    Item(
        "P16",
        "teknik pijat",
        "Posisi ibu yang tepat saat dilakukan pijat punggung (pijat oksitosin) adalah ...",
        (
            "Berbaring telentang",
            "Berdiri tegak",
            "Berbaring miring ke kanan",
            "Duduk bersandar ke depan pada meja dengan kedua lengan dilipat sebagai tumpuan kepala",
        ),
        "d",
        HARD,
    ),
    Item(
        "P17",
        "teknik pijat",
        "Sebelum memulai pijat laktasi, hal pertama yang dilakukan kader adalah ...",
        (
            "Memberi salam, menjelaskan tujuan dan prosedur, serta meminta persetujuan ibu",
            "Langsung memijat payudara ibu",
            "Mengoleskan minyak ke payudara",
            "Mengompres payudara dengan air es",
        ),
        "a",
        EASY,
    ),
    Item(
        "P18",
        "teknik pijat",
        "Sebelum dan sesudah melakukan pijat laktasi, kader harus ...",
        (
            "Memakai sarung tangan steril",
            "Mencuci tangan dengan sabun dan air mengalir",
            "Memakai masker N95",
            "Mengoleskan alkohol pada payudara ibu",
        ),
        "b",
        EASY,
    ),
    Item(
        "P19",
        "teknik pijat",
        "Alat dan bahan yang disiapkan untuk pijat laktasi adalah ...",
        (
            "Kapas alkohol, spuit dan plester",
            "Es batu dan kantong plastik",
            "Minyak pijat (baby oil atau minyak kelapa), handuk, waslap dan baskom berisi "
            "air hangat",
            "Bedak tabur dan sisir",
        ),
        "c",
        MEDIUM,
    ),
    Item(
        "P20",
        "teknik pijat",
        "Arah gerakan mengurut payudara yang benar adalah ...",
        (
            "Dari puting ke arah pangkal payudara",
            "Dari pangkal payudara ke arah puting",
            "Hanya memijat puting",
            "Menekan payudara dengan kuat ke arah perut",
        ),
        "b",
        HARD,
    ),
    Item(
        "P21",
        "teknik pijat",
        "Saat memijat payudara, tekanan pijatan yang tepat adalah ...",
        (
            "Sekuat mungkin agar ASI cepat keluar",
            "Menggunakan ujung kuku",
            "Ditekan dengan siku",
            "Lembut dan tidak menimbulkan nyeri",
        ),
        "d",
        MEDIUM,
    ),
    Item(
        "P22",
        "pijat laktasi",
        "Waktu yang tepat untuk melakukan pijat laktasi adalah ...",
        (
            "Sebelum menyusui, dapat dilakukan dua kali sehari",
            "Segera setelah ibu makan besar",
            "Hanya ketika bayi sudah berusia 6 bulan",
            "Hanya ketika ibu sedang demam tinggi",
        ),
        "a",
        MEDIUM,
    ),
    Item(
        "P23",
        "peran kader",
        "Kondisi ibu menyusui yang perlu segera dirujuk kader ke bidan atau puskesmas adalah ...",
        (
            "Payudara terasa penuh sebelum menyusui",
            "ASI keluar menetes saat mendengar bayi menangis",
            "Ibu merasa mengantuk setelah menyusui",
            "Payudara merah, bengkak dan sangat nyeri disertai demam",
        ),
        "d",
        MEDIUM,
    ),
    Item(
        "P24",
        "peran kader",
        "Peran kader posyandu dalam mendukung keberhasilan ASI eksklusif adalah ...",
        (
            "Membagikan susu formula gratis",
            "Memberikan obat pelancar ASI tanpa resep",
            "Memberikan penyuluhan, memotivasi dan mendampingi ibu menyusui",
            "Menggantikan peran bidan dalam menolong persalinan",
        ),
        "c",
        EASY,
    ),
    Item(
        "P25",
        "peran kader",
        "Seorang ibu mengeluh ASI-nya sedikit. Tindakan kader yang tepat adalah ...",
        (
            "Menyarankan ibu langsung memberi susu formula",
            "Menganjurkan ibu menyusui lebih sering, mengajarkan pijat laktasi dan melapor "
            "ke bidan bila tidak membaik",
            "Menyarankan ibu berhenti menyusui sementara",
            "Menyarankan ibu memberi air tajin kepada bayi",
        ),
        "b",
        EASY,
    ),
)

STEPS: tuple[Step, ...] = (
    Step(
        "L01",
        "persiapan",
        "Mengucapkan salam dan memperkenalkan diri",
        "Greets the mother and introduces herself",
        1,
        0.2,
    ),
    Step(
        "L02",
        "persiapan",
        "Menjelaskan tujuan dan prosedur pijat laktasi serta meminta persetujuan ibu",
        "Explains the aim and procedure and obtains the mother's consent",
        2,
        0.8,
    ),
    Step(
        "L03",
        "persiapan",
        "Menyiapkan alat dan bahan (minyak pijat, 2 handuk, waslap, baskom air hangat)",
        "Prepares equipment (massage oil, 2 towels, washcloth, basin of warm water)",
        2,
        0.5,
    ),
    Step(
        "L04",
        "persiapan",
        "Menjaga privasi ibu dan mengatur posisi ibu duduk dengan rileks",
        "Ensures privacy and seats the mother comfortably",
        2,
        0.5,
    ),
    Step(
        "L05",
        "persiapan",
        "Mencuci tangan dengan sabun dan air mengalir",
        "Washes hands with soap and running water",
        1,
        0.3,
    ),
    Step(
        "L06",
        "pijat_kepala_leher_punggung",
        "Memijat kepala dengan gerakan melingkar ringan menggunakan ujung jari",
        "Massages the head with light circular fingertip movements",
        2,
        0.6,
    ),
    Step(
        "L07",
        "pijat_kepala_leher_punggung",
        "Memijat leher dari pangkal tengkorak ke arah bahu",
        "Massages the neck from the base of the skull towards the shoulders",
        2,
        0.7,
    ),
    Step(
        "L08",
        "pijat_kepala_leher_punggung",
        "Memijat bahu dengan gerakan meremas lembut",
        "Massages the shoulders with gentle kneading",
        2,
        0.6,
    ),
    Step(
        "L09",
        "pijat_kepala_leher_punggung",
        "Memposisikan ibu duduk bersandar ke depan pada meja dengan lengan terlipat",
        "Seats the mother leaning forward on a table, arms folded",
        2,
        0.8,
    ),
    Step(
        "L10",
        "pijat_kepala_leher_punggung",
        "Memijat kedua sisi tulang belakang dengan ibu jari, gerakan melingkar dari leher "
        "sampai setinggi tulang belikat (pijat oksitosin)",
        "Massages both sides of the spine with the thumbs in circles from the neck down to "
        "the shoulder blades (oxytocin massage)",
        2,
        1.6,
    ),
    Step(
        "L11",
        "pijat_kepala_leher_punggung",
        "Memijat daerah tulang belikat dan sela iga punggung",
        "Massages the shoulder-blade area and the back intercostal spaces",
        2,
        1.4,
    ),
    Step(
        "L12",
        "pijat_payudara",
        "Mengompres kedua payudara dengan waslap hangat",
        "Applies a warm compress to both breasts",
        2,
        0.6,
    ),
    Step(
        "L13",
        "pijat_payudara",
        "Mengoleskan minyak pijat pada telapak tangan dan payudara",
        "Applies massage oil to the palms and breasts",
        2,
        0.5,
    ),
    Step(
        "L14",
        "pijat_payudara",
        "Memijat daerah ketiak dan tulang selangka",
        "Massages the armpit and collarbone area",
        2,
        1.8,
    ),
    Step(
        "L15",
        "pijat_payudara",
        "Gerakan melingkar (spiral) dengan ujung jari dari pangkal payudara ke arah areola",
        "Spiral fingertip movements from the base of the breast towards the areola",
        2,
        2.6,
    ),
    Step(
        "L16",
        "pijat_payudara",
        "Gerakan mengurut dengan sisi telapak tangan dari pangkal payudara ke arah puting",
        "Stroking with the side of the hand from the base of the breast towards the nipple",
        2,
        2.8,
    ),
    Step(
        "L17",
        "pijat_payudara",
        "Menyangga payudara dengan satu tangan dan mengurut dengan tangan lainnya",
        "Supports the breast with one hand and strokes with the other",
        2,
        2.2,
    ),
    Step(
        "L18",
        "pijat_payudara",
        "Memijat areola dan merangsang puting dengan lembut",
        "Massages the areola and gently stimulates the nipple",
        2,
        2.0,
    ),
    Step(
        "L19",
        "pijat_payudara",
        "Memerah ASI: ibu jari dan telunjuk di batas areola, ditekan ke arah dada lalu dipencet",
        "Hand expression: thumb and forefinger at the areola edge, press towards the chest, "
        "then compress",
        2,
        2.4,
    ),
    Step(
        "L20",
        "penutup",
        "Membersihkan payudara dengan waslap air hangat lalu mengeringkan dengan handuk",
        "Cleans the breasts with a warm washcloth and dries them with a towel",
        2,
        0.6,
    ),
    Step(
        "L21",
        "penutup",
        "Merapikan ibu dan alat, lalu mencuci tangan",
        "Tidies the mother and equipment, then washes hands",
        2,
        0.5,
    ),
    Step(
        "L22",
        "penutup",
        "Mengajarkan ibu atau keluarga melakukan pijat secara mandiri dan memotivasi "
        "menyusui on demand",
        "Teaches the mother or family to massage on their own and encourages on-demand "
        "breastfeeding",
        2,
        1.0,
    ),
    Step(
        "L23",
        "penutup",
        "Mendokumentasikan tindakan dan respons ibu",
        "Documents the procedure and the mother's response",
        1,
        0.7,
    ),
)


def knowledge_instrument() -> pd.DataFrame:
    """Return the knowledge-test instrument in the ``pengetahuan.csv`` layout.

    Examples
    --------
    >>> frame = knowledge_instrument()
    >>> frame.shape, list(frame.columns)[:3], frame["answer"].value_counts().sort_index().tolist()
    ((25, 8), ['item_id', 'topic', 'question'], [5, 7, 7, 6])
    """
    return pd.DataFrame(
        [
            {
                "item_id": item.item_id,
                "topic": item.topic,
                "question": item.question,
                "option_a": item.options[0],
                "option_b": item.options[1],
                "option_c": item.options[2],
                "option_d": item.options[3],
                "answer": item.answer,
            }
            for item in ITEMS
        ]
    )


def checklist_instrument() -> pd.DataFrame:
    """Return the skill checklist in the ``daftar_tilik.csv`` layout.

    Twenty steps scored 0/1/2 and three yes/no steps scored 0/1: 43 points in all, the
    smallest design near 20 steps whose 23-cadre mean can round to 87.26 (see
    :func:`analisis.synth.paper.attainable_means`).

    Examples
    --------
    >>> frame = checklist_instrument()
    >>> len(frame), int(frame["max_points"].sum())
    (23, 43)
    """
    return pd.DataFrame(
        [
            {
                "step_id": step.step_id,
                "stage": step.stage,
                "description_id": step.description_id,
                "description_en": step.description_en,
                "max_points": step.max_points,
            }
            for step in STEPS
        ]
    )


def write_instruments(folder: Path) -> list[Path]:
    """Write the knowledge test and the checklist into ``folder``; return their paths.

    Examples
    --------
    >>> import tempfile
    >>> [p.name for p in write_instruments(Path(tempfile.mkdtemp()))]
    ['pengetahuan.csv', 'daftar_tilik.csv']
    """
    paths = [folder / KNOWLEDGE_INSTRUMENT, folder / CHECKLIST_INSTRUMENT]
    write_csv(knowledge_instrument(), paths[0])
    write_csv(checklist_instrument(), paths[1])
    return paths
