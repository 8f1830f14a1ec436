"""Fictional pupil names: first names and surnames combined at random, never real people.

Surnames that would pair with a common first name into a famous person (Kane, Styles, Watson,
Holland, Potter, Beckham ...) are left out on purpose, and AVOID catches the rest.
"""
from random import Random

GIRLS = [
    "Amelia", "Ava", "Bella", "Charlotte", "Chloe", "Daisy", "Eliza", "Ella", "Erin", "Evie",
    "Florence", "Freya", "Georgia", "Grace", "Hannah", "Harper", "Imogen", "Isla", "Ivy", "Jessica",
    "Lily", "Lola", "Lucy", "Maisie", "Matilda", "Maya", "Mia", "Millie", "Molly", "Nancy",
    "Olivia", "Phoebe", "Poppy", "Rosie", "Ruby", "Scarlett", "Sienna", "Sophia", "Willow", "Zara",
    "Aisha", "Hafsa", "Inaya", "Amara", "Priya", "Simran", "Niamh", "Seren",
]
BOYS = [
    "Alfie", "Archie", "Arlo", "Arthur", "Austin", "Callum", "Charlie", "Dylan", "Edward", "Elijah",
    "Ethan", "Finley", "Frankie", "Freddie", "George", "Harrison", "Henry", "Hugo", "Isaac", "Jacob",
    "Jake", "Jenson", "Joshua", "Jude", "Leo", "Logan", "Louie", "Luca", "Mason", "Max",
    "Noah", "Oliver", "Oscar", "Reuben", "Riley", "Rory", "Samuel", "Sonny", "Teddy", "Theo",
    "Toby", "Zachary", "Ayaan", "Ibrahim", "Kai", "Kofi", "Rohan", "Yusuf",
]
SURNAMES = [
    "Ashworth", "Bailey", "Barker", "Bennett", "Birch", "Booth", "Bradshaw", "Brennan", "Carter",
    "Chadwick", "Clarke", "Cooper", "Dawson", "Doyle", "Ellison", "Evans", "Fairbairn", "Fletcher",
    "Foster", "Greenwood", "Hale", "Hall", "Hargreaves", "Heaton", "Holt", "Hughes", "Hussain",
    "Jenkins", "Kaur", "Kelly", "Kershaw", "Khan", "Lambert", "Lowe", "Marsh", "Mensah", "Mistry",
    "Morris", "Murphy", "Naylor", "Ogden", "O'Neill", "Osei", "Parry", "Patel", "Pearson",
    "Pickering", "Price", "Quinn", "Rahman", "Reid", "Rigby", "Rowe", "Shah", "Sutcliffe",
    "Thornton", "Turner", "Walsh", "Warburton", "Ward", "Whitfield", "Wright", "Ahmed", "Chowdhury",
]
# Pupils new to English, by home language, so forename and surname come from the same one.
EAL_NAMES = [  # (girls, boys, surnames)
    (["Zofia", "Maja", "Hanna"], ["Jakub", "Filip", "Szymon"], ["Nowak", "Kowalczyk", "Wójcik"]),
    (["Ioana", "Maria", "Elena"], ["Andrei", "Mihai", "Luca"], ["Popescu", "Ionescu", "Stan"]),
    (["Fatima", "Maryam", "Ayesha"], ["Bilal", "Hamza", "Zain"], ["Begum", "Akhtar", "Iqbal"]),
    (["Hodan", "Ayan", "Hibo"], ["Abdirahman", "Mahad", "Liban"], ["Abdi", "Mohamed", "Warsame"]),
    (["Beatriz", "Leonor", "Inês"], ["Tiago", "Rodrigo", "Duarte"], ["Silva", "Ferreira", "Costa"]),
    (["Elif", "Zeynep", "Defne"], ["Emir", "Yusuf", "Kerem"], ["Yilmaz", "Demir", "Kaya"]),
    (["Anh", "Linh", "Mai"], ["Minh", "Duc", "Khoa"], ["Nguyen", "Tran", "Pham"]),
    (["Sofiia", "Daria", "Anna"], ["Oleksandr", "Maksym", "Artem"], ["Shevchenko", "Bondarenko",
                                                                    "Melnyk"]),
]
SHORT_FORMS = {"Zachary": "Zac", "Samuel": "Sam", "Jessica": "Jess", "Florence": "Flo",
               "Edward": "Ed", "Oleksandr": "Sasha", "Matilda": "Tilly", "Joshua": "Josh"}
AVOID = {("Harry", "Kane"), ("Emma", "Watson"), ("Ruby", "Rose"), ("Amelia", "Earhart")}


def pupil_name(rng: Random, gender: str, eal: bool, taken: set) -> tuple[str, str, str | None]:
    """A forename, surname and optional preferred name not already used in this school."""
    girls, boys, surnames = rng.choice(EAL_NAMES) if eal else (GIRLS, BOYS, SURNAMES)
    firsts = girls if gender == "F" else boys
    while True:
        name = (rng.choice(firsts), rng.choice(surnames))
        if name not in taken and name not in AVOID:
            taken.add(name)
            break
    short = SHORT_FORMS.get(name[0]) if rng.random() < 0.5 else None
    return name[0], name[1], short
