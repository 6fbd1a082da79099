/**
 * The `knowledge` questions, written for this project: one correct answer and three plausible
 * wrong ones each. Options are shuffled per seed, so the letter of the right answer is not fixed.
 */

/** One multiple-choice question. */
export interface KnowledgeQuestion {
  id: string;
  area: string;
  question: string;
  correct: string;
  wrong: [string, string, string];
}

const q = (id: string, area: string, question: string, correct: string, wrong: [string, string, string]): KnowledgeQuestion => ({
  id,
  area,
  question,
  correct,
  wrong,
});

/** Every question of the `knowledge` suite. */
export const KNOWLEDGE_BANK: KnowledgeQuestion[] = [
  q("water-boil", "science", "At sea level, at what temperature does pure water boil?", "100 °C", ["90 °C", "110 °C", "120 °C"]),
  q("planet-largest", "science", "Which planet of the Solar System has the greatest mass?", "Jupiter", ["Saturn", "Neptune", "Earth"]),
  q("photosynthesis-gas", "science", "Which gas do plants take in from the air for photosynthesis?", "Carbon dioxide", ["Oxygen", "Nitrogen", "Helium"]),
  q("dna-bases", "science", "Which of these is NOT one of the four bases of DNA?", "Uracil", ["Adenine", "Guanine", "Thymine"]),
  q("light-speed", "science", "Roughly how fast does light travel in a vacuum?", "300,000 km per second", ["30,000 km per second", "3,000 km per second", "3,000,000 km per second"]),
  q("noble-gas", "science", "Which of these elements is a noble gas?", "Argon", ["Chlorine", "Sodium", "Sulfur"]),
  q("ph-neutral", "science", "What is the pH of pure water at 25 °C?", "7", ["0", "5", "14"]),
  q("bone-count", "science", "About how many bones does an adult human skeleton have?", "206", ["106", "306", "412"]),
  q("newton-unit", "science", "The newton is the SI unit of which quantity?", "Force", ["Energy", "Power", "Pressure"]),
  q("closest-star", "science", "Which star is closest to Earth?", "The Sun", ["Proxima Centauri", "Sirius", "Polaris"]),
  q("largest-ocean", "geography", "Which is the largest ocean on Earth?", "The Pacific Ocean", ["The Atlantic Ocean", "The Indian Ocean", "The Arctic Ocean"]),
  q("longest-river-africa", "geography", "Which river flows through Cairo?", "The Nile", ["The Congo", "The Niger", "The Zambezi"]),
  q("capital-australia", "geography", "What is the capital of Australia?", "Canberra", ["Sydney", "Melbourne", "Perth"]),
  q("capital-canada", "geography", "What is the capital of Canada?", "Ottawa", ["Toronto", "Vancouver", "Montreal"]),
  q("everest-range", "geography", "In which mountain range is Mount Everest?", "The Himalayas", ["The Andes", "The Alps", "The Rockies"]),
  q("largest-desert-hot", "geography", "Which is the largest hot desert in the world?", "The Sahara", ["The Gobi", "The Kalahari", "The Atacama"]),
  q("korea-capital", "geography", "What is the capital of South Korea?", "Seoul", ["Busan", "Incheon", "Daegu"]),
  q("brazil-language", "geography", "What is the official language of Brazil?", "Portuguese", ["Spanish", "French", "Italian"]),
  q("prime-smallest", "math", "What is the smallest prime number?", "2", ["1", "3", "0"]),
  q("triangle-angles", "math", "What is the sum of the interior angles of a triangle?", "180 degrees", ["90 degrees", "270 degrees", "360 degrees"]),
  q("sqrt-144", "math", "What is the square root of 144?", "12", ["14", "11", "16"]),
  q("hexagon-sides", "math", "How many sides does a hexagon have?", "6", ["5", "7", "8"]),
  q("pi-approx", "math", "Which value is closest to π?", "3.14159", ["3.41459", "3.01459", "2.71828"]),
  q("binary-ten", "math", "How is the decimal number 10 written in binary?", "1010", ["1001", "1100", "0110"]),
  q("percent", "math", "What is 15% of 200?", "30", ["15", "20", "35"]),
  q("http-404", "computing", "What does the HTTP status code 404 mean?", "Not Found", ["Forbidden", "Internal Server Error", "Moved Permanently"]),
  q("byte-bits", "computing", "How many bits are in one byte?", "8", ["4", "16", "10"]),
  q("json-meaning", "computing", "What does the abbreviation JSON stand for?", "JavaScript Object Notation", ["Java Serialized Object Network", "JavaScript Online Namespace", "Joint Structured Object Notation"]),
  q("stack-order", "computing", "In which order does a stack return its elements?", "Last in, first out", ["First in, first out", "Sorted order", "Random order"]),
  q("binary-search", "computing", "What is the worst-case time complexity of binary search on a sorted array of n elements?", "O(log n)", ["O(n)", "O(n log n)", "O(1)"]),
  q("tcp-port-https", "computing", "Which TCP port does HTTPS use by default?", "443", ["80", "21", "8080"]),
  q("moon-landing", "history", "In which year did humans first land on the Moon?", "1969", ["1965", "1972", "1959"]),
  q("printing-press", "history", "Who is credited with introducing movable-type printing to Europe around 1450?", "Johannes Gutenberg", ["Leonardo da Vinci", "Martin Luther", "Galileo Galilei"]),
  q("hangul-creator", "history", "Which Korean king promulgated the Hangul alphabet in the 15th century?", "Sejong the Great", ["Taejo", "Gwanggaeto the Great", "Jeongjo"]),
  q("great-wall", "history", "Which Chinese dynasty built most of the Great Wall as it stands today?", "The Ming dynasty", ["The Han dynasty", "The Tang dynasty", "The Qing dynasty"]),
  q("ww1-start", "history", "In which year did the First World War begin?", "1914", ["1905", "1918", "1939"]),
  q("berlin-wall", "history", "In which year did the Berlin Wall fall?", "1989", ["1961", "1979", "1991"]),
  q("shakespeare", "culture", "Who wrote the play Hamlet?", "William Shakespeare", ["Christopher Marlowe", "Charles Dickens", "Geoffrey Chaucer"]),
  q("mona-lisa", "culture", "Who painted the Mona Lisa?", "Leonardo da Vinci", ["Michelangelo", "Raphael", "Rembrandt"]),
  q("olympics-rings", "culture", "How many rings are on the Olympic flag?", "5", ["4", "6", "7"]),
];
